"""Loop variables and walrus targets are left alone."""


def loops(rows):
    for index in range(3):
        rows.append(None)
    if (size := len(rows)) > 3:
        return rows
    return [cell for row in rows for cell in row]
