"""``llmchoice cost``: a month of closed APIs against a month of self-hosted open weights.

Long: typer commands declare their options in the signature; the bodies stay short.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from llmchoice.cli.common import (
    CostOutputOption,
    ForceOption,
    choose_format,
    early_check_output,
    emit,
    handle_errors,
    number_parser,
    terminal_width,
    use_color,
)
from llmchoice.io.errors import UsageError
from llmchoice.io.numbers import SHARE

HELP = """\
Estimate a month of API bills against a month of self-hosting open weights.

Compares five options at your volume: a frontier closed API, a small closed
API, open weights through a hosted API, and self-hosting a small (8B) and a
large (70B) open-weight model on rented GPUs, where the number of GPUs grows in
steps with the volume, the throughput and the utilisation. It names the
break-even volume between the frontier API and self-hosting, which assumption
moves that break-even most, and every assumption with its source and date.

Every default comes from the shipped costs file (public list prices and
benchmarks, dated). A flag overrides one figure; --assumptions FILE overrides
any of them (same YAML shape as the shipped file, only the entries you change,
e.g. 'assumptions: {gpu.hourly_usd: 2.69, self_host.overhead_share: 0.3}').
Flags win over the file.

It is an estimate with its assumptions in view, never a quote.

\b
Examples:
  llmchoice cost --monthly-tokens 500
  llmchoice cost -n 20000 --model-class small --utilisation 0.3
  llmchoice cost -n 5000 --gpu-hourly-usd 2.69 --format json
  llmchoice cost -n 5000 --assumptions my-prices.yaml --output cost.md
"""

FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", metavar="FORMAT",
                 help="terminal, markdown or json. Default: terminal on a terminal, "
                      "else from --output's extension, else markdown.",
                 show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``cost`` command to ``app``."""

    @app.command("cost", help=HELP,
                 short_help="Estimate API bills against self-hosting open weights.")
    @handle_errors
    def cost(
        monthly_tokens: Annotated[
            float,
            typer.Option("--monthly-tokens", "-n", metavar="N",
                         parser=number_parser("--monthly-tokens"),
                         help="Your volume: millions of tokens a month, input and output "
                              "together (500 = half a billion). At least 0.001 (a thousand "
                              "tokens).",
                         show_default=False),
        ],
        input_share: Annotated[
            float | None,
            typer.Option("--input-share", metavar="S",
                         parser=number_parser("--input-share", percent=SHARE),
                         help="Share of the tokens that are input (prompt), 0 to 0.99. "
                              "Sets the API's blended price and the output tokens the GPUs "
                              "must produce. Default 0.6 (the benchmark's ShareGPT mix).",
                         show_default=False),
        ] = None,
        model_class: Annotated[
            str,
            typer.Option("--model-class", "-m", metavar="small|large",
                         help="Which self-hosted model the break-even is computed for: small "
                              "(Llama 3.1 8B, 1 GPU per replica) or large (Llama 3.1 70B, "
                              "4 GPUs per replica). Both are always listed."),
        ] = "large",
        gpu_hourly_usd: Annotated[
            float | None,
            typer.Option("--gpu-hourly-usd", metavar="X",
                         parser=number_parser("--gpu-hourly-usd"),
                         help="Rent of one GPU, USD per GPU-hour (H100 80GB, on demand). "
                              "Default 3.99; the sources range from 2.69 to 12.29.",
                         show_default=False),
        ] = None,
        throughput: Annotated[
            float | None,
            typer.Option("--throughput", metavar="T",
                         parser=number_parser("--throughput"),
                         help="Output tokens per second (1 or more) one replica of the "
                              "chosen model serves when saturated (e.g. from a vLLM benchmark "
                              "of your workload). Overrides the --model-class default (8,088 "
                              "small, 3,543 large).",
                         show_default=False),
        ] = None,
        utilisation: Annotated[
            float | None,
            typer.Option("--utilisation", "--utilization", metavar="U",
                         parser=number_parser("--utilisation", percent=SHARE),
                         help="Average load as a share of that saturated throughput, 0.01 "
                              "to 1: GPUs are sized for the peak and idle between. "
                              "Default 0.5.",
                         show_default=False),
        ] = None,
        staff_usd_month: Annotated[
            float | None,
            typer.Option("--staff-usd-month", metavar="M",
                         parser=number_parser("--staff-usd-month"),
                         help="People's time to run the deployment, USD a month (0 or more). "
                              "Default 6,000; a fractional operator is about 500.",
                         show_default=False),
        ] = None,
        api_input_usd: Annotated[
            float | None,
            typer.Option("--api-input-usd", metavar="A",
                         parser=number_parser("--api-input-usd"),
                         help="Frontier API price, USD per million input tokens. "
                              "Default 1.25 (GPT-5 list price).",
                         show_default=False),
        ] = None,
        api_output_usd: Annotated[
            float | None,
            typer.Option("--api-output-usd", metavar="B",
                         parser=number_parser("--api-output-usd"),
                         help="Frontier API price, USD per million output tokens. "
                              "Default 10 (GPT-5 list price).",
                         show_default=False),
        ] = None,
        assumptions_file: Annotated[
            Path | None,
            typer.Option("--assumptions", "-a", metavar="FILE", dir_okay=True,
                         help="YAML or JSON file overriding any default assumption (same "
                              "shape as the shipped costs file; a bare number per entry is "
                              "enough). Flags win over it.",
                         show_default=False),
        ] = None,
        fmt: FormatOption = None,
        output: CostOutputOption = None,
        force: ForceOption = False,
    ) -> None:
        # lazy: only this command needs these; --help stays fast
        from llmchoice.cost.assumptions import MODEL_CLASSES, load_assumptions, override
        from llmchoice.cost.estimate import check_monthly_tokens, estimate
        from llmchoice.report.cost import EXTENSIONS, FORMATS, render_cost

        chosen = choose_format(fmt, output, FORMATS, EXTENSIONS)
        volume = check_monthly_tokens(monthly_tokens, "--monthly-tokens", allow_zero=False)
        cls = model_class.strip().lower()
        if cls not in MODEL_CLASSES:
            raise UsageError(f"--model-class {model_class!r}: expected small or large")
        early_check_output(output, force, (assumptions_file,))
        assumptions = load_assumptions(assumptions_file)
        flags = (
            ("--input-share", "workload.input_share", input_share),
            ("--gpu-hourly-usd", "gpu.hourly_usd", gpu_hourly_usd),
            ("--throughput", f"self_host.{cls}.throughput", throughput),
            ("--utilisation", "self_host.utilisation", utilisation),
            ("--staff-usd-month", "self_host.staff_usd_month", staff_usd_month),
            ("--api-input-usd", "api.frontier.input_usd", api_input_usd),
            ("--api-output-usd", "api.frontier.output_usd", api_output_usd),
        )
        for flag, aid, value in flags:
            if value is not None:
                assumptions = override(assumptions, aid, value, flag)
        est = estimate(volume, model_class=cls, assumptions=assumptions)
        text = render_cost(est, chosen, width=terminal_width() if output is None else 100,
                           color=use_color() and output is None and chosen == "terminal")
        emit(text, output, force=force)
