"""``keep-names``: locals a framework reads from the frame are never removed."""


def render(request):
    template_context = {"user": request.user}
    response = request.render()
    return request
