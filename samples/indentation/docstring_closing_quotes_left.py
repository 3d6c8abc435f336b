class ComputeAPI:
  def resize(self, instance, flavor):
    """Resize an instance to a new flavor.

    :param flavor: the new flavor
   """
    return instance, flavor
