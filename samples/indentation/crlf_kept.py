def handle(event):
  if event:
    return event.name
  return None
