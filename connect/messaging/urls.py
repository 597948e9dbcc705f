from django.urls import path

from connect.messaging import views

app_name = "messaging"

urlpatterns = [
    path("dossiers/<uuid:code>/messages/", views.thread_list, name="threads"),
    path("dossiers/<uuid:code>/messages/nouveau/", views.compose, name="compose"),
    path("dossiers/<uuid:code>/messages/<uuid:thread_code>/", views.thread_detail, name="thread"),
    path("dossiers/<uuid:code>/messages/<uuid:thread_code>/repondre/", views.reply, name="reply"),
    path("notifications/", views.preferences, name="preferences"),
]
