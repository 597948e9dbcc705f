from django.shortcuts import render

from connect.accounts.policies import public


@public
def help_index(request):
    return render(request, "help/index.html")


@public
def legal(request):
    return render(request, "help/legal.html")


@public
def privacy(request):
    return render(request, "help/privacy.html")
