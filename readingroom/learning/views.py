from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from readingroom.learning import hub


@login_required
def overview(request):
    """The learning area's front page: one card per learning app (see learning.hub)."""
    cards = []
    for section in hub.sections():
        summary = section.summary(request.user) if section.summary else None
        cards.append({"section": section, "summary": summary})
    return render(request, "learning/overview.html", {"cards": cards, "nav": "learning", "learning_nav": "overview"})
