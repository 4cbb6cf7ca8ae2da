"""Run the Python blocks of one Markdown file in one namespace, as a reader's session would.

Reads one JSON request per line on stdin (``{"code": ..., "name": ...}``), runs it (``>>>``
blocks as doctests, others with ``exec``) and answers one JSON line on the original stdout:
``{"ok": bool, "output": str}``.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import sys
import traceback


def main() -> None:
    """Serve requests until stdin closes."""
    answer = sys.stdout
    namespace: dict[str, object] = {"__name__": "__main__"}
    import gaia_geo  # the doctest blocks of the docs assume it

    namespace["gaia_geo"] = gaia_geo
    for line in sys.stdin:
        request = json.loads(line)
        code, name = request["code"], request["name"]
        buffer = io.StringIO()
        ok = True
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                if code.lstrip().startswith(">>>"):
                    test = doctest.DocTestParser().get_doctest(code, namespace, name, name, 0)
                    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
                    result = runner.run(test, out=buffer.write, clear_globs=False)
                    ok = result.failed == 0
                else:
                    exec(compile(code, name, "exec"), namespace)
            except BaseException:  # noqa: BLE001 - every failure is the block's result
                ok = False
                traceback.print_exc(file=buffer)
        answer.write(json.dumps({"ok": ok, "output": buffer.getvalue()}) + "\n")
        answer.flush()


if __name__ == "__main__":
    main()
