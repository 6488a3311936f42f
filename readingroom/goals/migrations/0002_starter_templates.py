"""Two plan templates written for Reading Room (no professional body's text), published, no author."""

from django.db import migrations
from django.utils import timezone

TEMPLATES = [
    {
        "slug": "first-year-new-professional",
        "title": "First year as a new professional",
        "summary": "Settle into your first professional post: learn the organisation, build a network, "
        "try one new thing and look back on the year.",
        "description": "A year-long plan for people in their first library, archive, museum or information post. "
        "Each goal is a starting point: rename it, drop steps or add your own.\n\n"
        "Write short reflections as you go; they make the review at the end of the year much easier.",
        "duration_weeks": 52,
        "goals": [
            (
                "Understand how my organisation works",
                "Knowing who decides what, and why, makes everything else easier.",
                "I can explain our structure, main services and budget cycle to a new colleague.",
                8,
                [("Meet the people in the teams I work with most", 21), ("Read the current strategy or plan", 28),
                 ("Draw a one-page map of who does what", 56)],
            ),
            (
                "Build a professional network beyond my workplace",
                "Peers elsewhere are where ideas, advice and future opportunities come from.",
                "I have regular contact with at least five people outside my organisation.",
                20,
                [("Follow ten people and two hashtags in my field", 14), ("Go to one meet-up, webinar or event", 60),
                 ("Introduce myself to someone whose work I admire", 90)],
            ),
            (
                "Find a mentor",
                "A mentor helps me see my own progress and choose what to learn next.",
                "I meet a mentor every six to eight weeks.",
                12,
                [("Write down what I would like help with", 14), ("Ask someone to be my mentor", 45),
                 ("Hold a first meeting and agree how we will work", 84)],
            ),
            (
                "Lead one small improvement",
                "Putting a new idea into practice is how a new professional shows what they bring.",
                "One change I proposed is in place and I can say what difference it made.",
                36,
                [("Pick a problem that users or colleagues mention often", 60),
                 ("Agree a small trial with my manager", 120), ("Run the trial and note what happened", 210),
                 ("Share the results with my team", 250)],
            ),
            (
                "Look back on my first year",
                "A review turns a busy year into a record of what I can now do.",
                "I have written a one-page review and chosen goals for next year.",
                52,
                [("Reread my reflections and CPD log", 340), ("Write a one-page review", 355),
                 ("Set two or three goals for the coming year", 364)],
            ),
        ],
    },
    {
        "slug": "chartership-style-portfolio-12-months",
        "title": "Chartership-style portfolio in 12 months",
        "summary": "Build a professional portfolio in a year: assess your skills, plan your development, "
        "gather evidence and write a reflective statement.",
        "description": "A plan in the shape most professional registration schemes share: look at where you are, "
        "decide what to develop, do it, and show what changed with evidence and reflection.\n\n"
        "Check your own professional body's current requirements; this plan does not replace them.",
        "duration_weeks": 52,
        "goals": [
            (
                "Assess my skills against a framework",
                "An honest starting point shows where to put my effort.",
                "I have rated each skills area now and as a target, and noted the biggest gaps.",
                4,
                [("Rate each area of the skills framework", 14), ("Pick the two or three biggest gaps", 21),
                 ("Talk the gaps through with a mentor or colleague", 28)],
            ),
            (
                "Agree a development plan with a mentor",
                "A plan someone else has seen is easier to keep to.",
                "My mentor and I have agreed goals and a timetable for the year.",
                8,
                [("Find or confirm a mentor", 21), ("Draft goals for each gap", 35),
                 ("Agree the plan and meeting dates", 56)],
            ),
            (
                "Learn beyond my own organisation",
                "Portfolios are stronger when they show awareness of the wider profession.",
                "I can describe two developments in the wider sector and what they mean for my work.",
                30,
                [("Attend two events, courses or webinars outside work", 150),
                 ("Visit or talk with people at another service", 180),
                 ("Log each activity in my CPD log with a reflection", 210)],
            ),
            (
                "Gather evidence for each part of my plan",
                "Evidence shows what I did; the reflection shows what it meant.",
                "Each goal in my plan has at least two pieces of evidence with a note on why they count.",
                40,
                [("Collect documents, links and posts as I go", 120), ("Review the evidence with my mentor", 250),
                 ("Fill any gaps I find", 280)],
            ),
            (
                "Write my reflective statement and assemble the portfolio",
                "The statement ties the evidence together into a story of development.",
                "My statement is written, my mentor has read it, and the portfolio is exported.",
                52,
                [("Draft the statement from my reflections", 310), ("Ask my mentor for comments", 330),
                 ("Revise, assemble and export the portfolio", 360)],
            ),
        ],
    },
]


def add_templates(apps, schema_editor):
    PlanTemplate = apps.get_model("goals", "PlanTemplate")
    TemplateGoal = apps.get_model("goals", "TemplateGoal")
    TemplateStep = apps.get_model("goals", "TemplateStep")
    now = timezone.now()
    for data in TEMPLATES:
        if PlanTemplate.objects.filter(slug=data["slug"]).exists():
            continue
        template = PlanTemplate.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            duration_weeks=data["duration_weeks"],
            published=True,
            created_at=now,
            updated_at=now,
        )
        for position, (title, why, criteria, weeks, steps) in enumerate(data["goals"]):
            goal = TemplateGoal.objects.create(
                template=template,
                title=title,
                why=why,
                success_criteria=criteria,
                target_offset_weeks=weeks,
                position=position,
            )
            for index, (step_title, days) in enumerate(steps):
                TemplateStep.objects.create(goal=goal, title=step_title, due_offset_days=days, position=index)


def remove_templates(apps, schema_editor):
    PlanTemplate = apps.get_model("goals", "PlanTemplate")
    PlanTemplate.objects.filter(slug__in=[t["slug"] for t in TEMPLATES], author__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
