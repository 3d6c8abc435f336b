def legacy():
  return 1  # codemods: skip[indentation]
