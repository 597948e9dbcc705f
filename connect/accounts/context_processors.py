from django.conf import settings


def portal(request):
    return {
        "FIRM_NAME": settings.FIRM_NAME,
        "FIRM_SHORT_NAME": settings.FIRM_SHORT_NAME,
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
    }
