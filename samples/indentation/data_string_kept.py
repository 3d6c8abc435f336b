def query(table):
  sql = """
      SELECT id, name
        FROM %s
       WHERE active
  """
  banner = '''\
  two leading spaces stay'''
  return sql % table, banner
