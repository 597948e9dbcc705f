"""The completed uploads a form post names (`upload`), for the views that take them (a
message, a requested item's answer): counted before any is read, so that a post naming uploads
cannot be repeated to make us work, refused or not."""

from contextlib import AbstractContextManager, nullcontext

from django.conf import settings

from connect.lib.throttle import Rate, Throttled, consume
from connect.uploads.services import Taken, named_uploads


def named_in_post(request, dossier, *, not_sent: str) -> AbstractContextManager[Taken]:
    """The uploads the post names, assembled when first needed and closed when the block ends.
    Throttled: a Taken holding the error (`not_sent` says what was not sent) and
    `request.throttled_for` set for the view's Retry-After."""
    codes = request.POST.getlist("upload")
    if codes:
        try:
            rate = Rate(settings.MESSAGES_PER_USER_PER_MINUTE, 60)
            consume(("message-upload-posts", request.user.pk, rate))
        except Throttled as error:
            request.throttled_for = error.wait
            return nullcontext(Taken(errors=[f"{error.message} {not_sent}"]))
    key = request.POST.get("token")
    return named_uploads(user=request.user, dossier=dossier, codes=codes, key=key)
