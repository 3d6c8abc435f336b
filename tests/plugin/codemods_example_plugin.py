"""A tiny third-party codemod: ``print(...)`` statements become ``log(...)`` calls."""

import ast
import dataclasses

from codemods import Codemod, Finding, Options, SourceFile


@dataclasses.dataclass(frozen=True)
class PrintToLogOptions(Options):
    """Options of ``print-to-log``: the name that replaces ``print``."""

    function: str = "log"


class PrintToLog(Codemod[PrintToLogOptions]):
    """Replace ``print(...)`` statements with calls to a logging function.

    Why is this bad? Prints in library code bypass logging configuration.
    Fix safety: safe for this test's purposes.
    """

    id = "print-to-log"
    summary = "Replace print(...) statements with log(...)."
    options_type = PrintToLogOptions
    VALID = ["log(1)\n", "x = print\n"]
    INVALID = [("print(1)\nprint(\n    2,\n)\n", "log(1)\nlog(\n    2,\n)\n")]

    def find(self, source: SourceFile):
        """Yield each ``print(...)`` expression statement."""
        for node in ast.walk(source.tree):
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "print":
                yield Finding.at(node, f"print -> {self.options.function}", data=call.func)

    def fix(self, source: SourceFile, findings: list[Finding]):
        """Rename the callee of each statement."""
        return [source.replace(found.data, self.options.function) for found in findings]
