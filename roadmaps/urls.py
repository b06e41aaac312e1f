from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("assessments/<int:pk>/roadmap/", views.roadmap_detail, name="detail"),
    path("assessments/<int:pk>/roadmap/create/", views.roadmap_create, name="create"),
    path("roadmaps/<int:pk>/draft/", views.roadmap_draft, name="draft"),
    path("roadmaps/<int:pk>/items/", views.item_create, name="item_create"),
    path("roadmaps/<int:pk>/items/new/", views.item_new, name="item_new"),
    path("roadmaps/<int:pk>/items/<int:item_pk>/", views.item_update, name="item_update"),
    path("roadmaps/<int:pk>/items/<int:item_pk>/edit/", views.item_form, name="item_form"),
    path("roadmaps/<int:pk>/items/<int:item_pk>/accept/", views.item_accept, name="item_accept"),
    path("roadmaps/<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("roadmaps/<int:pk>/proposals/", views.proposals_decide, name="proposals"),
    path("roadmaps/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("roadmaps/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
