from django.urls import path

from connect.checklists import views

app_name = "checklists"

ITEM = "dossiers/<uuid:code>/complements/<uuid:item_code>/"
STAFF = "espace/dossiers/<uuid:code>/complements/"
STAFF_ITEM = STAFF + "<uuid:item_code>/"

urlpatterns = [
    path(ITEM, views.item_answer, name="item_answer"),
    path(STAFF, views.staff_checklist, name="staff_checklist"),
    path(STAFF + "demander/", views.request_create, name="request_create"),
    path(STAFF_ITEM + "recu/", views.item_receive, name="item_receive"),
    path(STAFF_ITEM + "redemander/", views.item_ask_again, name="item_ask_again"),
]
