from django.urls import path

from pilotage.web.customers import views

urlpatterns = [
    path("w/<slug:slug>/customers/", views.value, name="customer_value"),
    path("w/<slug:slug>/customers/at-risk.csv", views.at_risk_csv, name="customers_at_risk_csv"),
]
