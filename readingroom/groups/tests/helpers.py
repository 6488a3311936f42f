"""Groups and members made through the real actions, for the groups app's tests and those of the
apps above it (posts' group timelines, the demo community)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from readingroom.groups import actions
from readingroom.groups import permissions as perms
from readingroom.groups.models import Membership, Role
from readingroom.testing.factories import UserFactory


def make_group(owner=None, *, name="Lone archivists", privacy="public", **fields):
    """A group made by `owner` (a new member when not given), through create_group."""
    return actions.create_group(creator=owner or UserFactory(), name=name, privacy=privacy, **fields)


def owner_of(group):
    return Membership.objects.filter(group=group, role=Role.OWNER).order_by("pk").first().user


def add_member(group, user=None, *, role=Role.MEMBER, show_in_home=True):
    """Bring `user` (a new member when not given) into any group by an invitation link, then
    give them `role`. Returns the user."""
    user = user or UserFactory()
    owner = owner_of(group)
    _, token = actions.create_invitation(actor=owner, group=group)
    actions.accept_invitation(user=user, token=token, accept_conduct=True)
    found = Membership.objects.get(group=group, user=user)
    if role != Role.MEMBER:
        actions.set_role(actor=owner, membership=found, role=role)
    if not show_in_home:
        actions.set_home_preference(user=user, group=group, show_in_home=False)
    perms.forget_membership(user, group)
    return user


def png_upload(name="banner.png", size=(60, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
