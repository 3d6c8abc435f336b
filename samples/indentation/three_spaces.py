def retry(call, attempts=3):
   for attempt in range(attempts):
      try:
         return call()
      except OSError:
         if attempt + 1 == attempts:
            raise
   return None
