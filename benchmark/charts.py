"""The peer band on the radar: the middle half of the peers' levels (lower to upper quartile)
and their median, beside the organisation's own series. The page draws it with plotly, the PDF
with matplotlib (reports.svg), from the same data."""

from assessments.charts import radar_figure

PEER_COLOUR = "#2a9d8f"
PEER_FILL = "rgba(42, 157, 143, 0.22)"


def with_band(data: dict, band: dict | None) -> dict:
    """`assessments.charts.radar_data` with the peer band (`Benchmark.band()`) added."""
    if band is None:
        return data
    return {**data, "band": {**band, "colour": PEER_COLOUR, "fill": PEER_FILL}}


def benchmark_figure(data: dict) -> dict:
    """The radar as a plotly figure, with the band beneath the organisation's own lines."""
    figure = radar_figure(data)
    band = data.get("band")
    if not band or not figure["data"]:
        return figure
    theta = figure["data"][0]["theta"]

    def closed(values):
        return [*values, values[0]] if values else values

    def trace(key, name, values, **style):
        return {
            "type": "scatterpolar",
            "name": name,
            "r": closed(values),
            "theta": theta,
            "mode": "lines",
            "connectgaps": False,
            "hovertemplate": "%{theta}: %{r}<extra>" + name + "</extra>",
            "meta": key,
            **style,
        }

    figure["data"] = [
        trace(
            "peer-lower",
            band["name"],
            band["lower"],
            line={"color": PEER_COLOUR, "width": 0.5},
            fill="none",
            showlegend=False,
        ),
        trace(
            "peer-upper",
            band["name"],
            band["upper"],
            line={"color": PEER_COLOUR, "width": 0.5},
            fill="tonext",
            fillcolor=band["fill"],
        ),
        trace(
            "peer-median",
            band["median_name"],
            band["median"],
            line={"color": PEER_COLOUR, "width": 2, "dash": "dot"},
            fill="none",
        ),
        *figure["data"],
    ]
    return figure
