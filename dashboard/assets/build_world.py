"""Rebuild the map geometry bundled with the dashboard (run by hand, not at run time).

Reads the TopoJSON files of the npm package `world-atlas` 2.x (Natural Earth, public
domain; the package is ISC), which you unpack yourself (`npm pack world-atlas@2`),
and writes, beside this script:

- `world-110m.json`: the 1:110m countries as TopoJSON, each geometry's `id` the
  tracker's actor code (ISO 3166-1 alpha-3, `XKX` for Kosovo) or null for places
  that are not in the actor dictionary (Antarctica, Western Sahara, ...).
- `small-states.json`: `[{"code", "lon", "lat"}]`, one point per state that is too
  small to appear at 1:110m (Malta, Singapore, Bahrain, ...), placed at the centre
  of its largest polygon in the 1:50m file (Tuvalu, in neither, at Funafuti).

Usage: python dashboard/assets/build_world.py PATH/TO/world-atlas/package
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracker.actors import load_actors

HERE = Path(__file__).resolve().parent
NO_NUMERIC_CODE = {"Kosovo": "XKX"}
MISSING_POINTS = {"TUV": (179.2, -8.52)}  # Tuvalu is in neither file: Funafuti


def numeric_to_code() -> dict[str, str]:
    """ISO numeric code -> state code, from the actor dictionary."""
    return {
        info.iso_numeric: code
        for code, info in load_actors().items()
        if info.kind == "state" and info.iso_numeric.isdigit()
    }


def code_of(geometry: dict, codes: dict[str, str]) -> str | None:
    """The actor code of a TopoJSON geometry, by ISO numeric id or by name."""
    return codes.get(geometry.get("id") or "") or NO_NUMERIC_CODE.get(geometry["properties"]["name"])


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs as absolute longitude/latitude points (undoing quantisation and deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """The points of a ring given as arc indexes (~i means arc i reversed)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def centre(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid (lon, lat) of a planar ring."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def largest_polygon_centre(geometry: dict, arcs: list) -> tuple[float, float]:
    """Centre of the outer ring of a geometry's largest polygon."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    best = max((centre(ring_points(polygon[0], arcs)) for polygon in polygons), key=lambda c: c[0])
    return round(best[1], 2), round(best[2], 2)


def build(package: Path) -> None:
    codes = numeric_to_code()
    world = json.loads((package / "countries-110m.json").read_text())
    world["objects"] = {"countries": world["objects"]["countries"]}
    present = set()
    for geometry in world["objects"]["countries"]["geometries"]:
        geometry["id"] = code_of(geometry, codes)
        present.add(geometry["id"])
    (HERE / "world-110m.json").write_text(json.dumps(world, separators=(",", ":")))

    detailed = json.loads((package / "countries-50m.json").read_text())
    arcs = decoded_arcs(detailed)
    small = []
    for geometry in detailed["objects"]["countries"]["geometries"]:
        code = code_of(geometry, codes)
        if code and code not in present and geometry.get("arcs"):
            lon, lat = largest_polygon_centre(geometry, arcs)
            small.append({"code": code, "lon": lon, "lat": lat})
    small += [{"code": code, "lon": lon, "lat": lat} for code, (lon, lat) in MISSING_POINTS.items()]
    small.sort(key=lambda point: point["code"])
    lines = ",\n".join(json.dumps(point) for point in small)
    (HERE / "small-states.json").write_text(f"[\n{lines}\n]\n")
    missing = sorted(set(codes.values()) - present - {p["code"] for p in small})
    absent = ", ".join(missing) or "none"
    print(f"{len(present)} shapes, {len(small)} small states; no geometry for: {absent}")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
