from django.urls import path

from connect.push import views

app_name = "push"
urlpatterns = [
    path("notifications/push/", views.preferences, name="preferences"),
    path("notifications/push/abonnement/", views.subscribe, name="subscribe"),
    path("notifications/push/desabonnement/", views.unsubscribe, name="unsubscribe"),
    path("notifications/push/appareil/retirer/", views.remove_device, name="remove_device"),
]
