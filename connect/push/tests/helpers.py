import json

from django.urls import reverse

from connect.testing import login_as

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


def subscribe(client, user, browser):
    """The page's JS posting a browser's subscription, as `user`."""
    login_as(client, user)
    return client.post(
        reverse("push:subscribe"),
        json.dumps(browser.subscription()),
        content_type="application/json",
        headers={"User-Agent": CHROME_ANDROID},
    )
