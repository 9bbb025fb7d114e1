def navigation(request):
    user = getattr(request, "user", None)
    return {"current_role": getattr(user, "role", "") if user and user.is_authenticated else ""}
