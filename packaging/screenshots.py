"""Take the README's screenshots of the real window, mid-run, under a real display.

    xvfb-run -a -s "-screen 0 1600x1000x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python packaging/screenshots.py --out resources/screenshot.png
    ... --lang zh_CN --out resources/screenshot_zh.png
    ... --dataset digits --epochs 15 --tab Evaluation --at-end --out resources/evaluation.png
    ... --compare batch_size --out resources/compare.png

Settings go to a temporary folder, so a person's own settings are neither used nor changed.
Offscreen Qt skips paints; run it under Xvfb (or a desktop) with the xcb platform.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="PNG file to write")
    parser.add_argument("--lang", default="en", help="en or zh_CN")
    parser.add_argument("--dataset", default="spiral")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=None)
    parser.add_argument("--at-epoch", type=int, default=20,
                        help="take the picture once this epoch has ended (mid-run)")
    parser.add_argument("--at-end", action="store_true", help="wait for the run to finish")
    parser.add_argument("--tab", default="", help="objectName or title of the tab to show")
    parser.add_argument("--size", default="1360x860", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--compare", default="", choices=("", "batch_size", "optimizer",
                                                          "dropout"),
                        help="run this comparison to its end and show the Compare tab")
    args = parser.parse_args(argv)

    os.environ.setdefault("WORKBENCH_SETTINGS_DIR", tempfile.mkdtemp(prefix="workbench-shots-"))
    os.environ["WORKBENCH_LANG"] = args.lang

    from PySide6.QtCore import QCoreApplication

    from workbench.config import TrainConfig
    from workbench.ui.app import application, create_window

    app = application([sys.argv[0]])
    model = {} if args.dropout is None else {"dropout": args.dropout}
    config = TrainConfig().with_changes(data={"dataset": args.dataset}, model=model,
                                        run={"epochs": args.epochs,
                                             "batch_size": args.batch_size})
    window = create_window(config=config)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def wait(condition, timeout: float = 300.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise SystemExit("timed out waiting for the window")
            app.processEvents()
            time.sleep(0.01)

    wait(lambda: window.form.device_panel.detected)
    epochs_seen = [0]
    window.controller.epochs_ended.connect(
        lambda epochs: epochs_seen.__setitem__(0, epochs[-1].epoch))
    if args.compare:
        history = window.features["history"]
        # The batch-size comparison may first read the data (to see which sizes fit) before
        # its runner becomes active: wait for the runner's own end, not for it to be idle.
        ended: list[bool] = []
        history.runner.finished.connect(ended.append)
        if not history.compare(args.compare):
            raise SystemExit("the comparison did not start")
        wait(lambda: bool(ended))
        if not ended[0]:
            raise SystemExit("the comparison was stopped before its end")
    elif not window.start_training():
        raise SystemExit("the run did not start")
    elif args.at_end:
        wait(lambda: not window.controller.is_active)
    else:
        wait(lambda: epochs_seen[0] >= args.at_epoch or not window.controller.is_active)
    if args.tab:
        for index in range(window.tabs.count()):
            page = window.tabs.widget(index)
            if args.tab in (page.objectName(), window.tabs.tabText(index)):
                window.tabs.setCurrentIndex(index)
    pump(0.6)  # the plots' next refresh, and a paint
    window.grab().save(args.out)
    print(f"wrote {args.out}")
    window.controller.stop()
    wait(lambda: not window.controller.is_active)
    # The trained model is not saved: the pictures are all this script keeps, so the window
    # is shut down before it closes (closing it would ask Save / Discard / Cancel).
    window.shutdown()
    window.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
