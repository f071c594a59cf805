//! The chart of a warehouse's last 24 hours: orders shipped per hour as a
//! line, drawn by plotters into an SVG string in the browser (hours labelled
//! in the reader's time zone). Shown as one image with a label that says
//! what it shows; the figures themselves are in the table beside it.

use crate::model::views::warehouse_load::HourCount;
use plotters::prelude::*;

const WIDTH: u32 = 560;
const HEIGHT: u32 = 180;
/// The line: dark blue, 8.6:1 against white (WCAG 1.4.11 asks 3:1).
const LINE: RGBColor = RGBColor(0x1f, 0x4e, 0x79);
/// Axis labels and lines: near-black.
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// The grid: light, behind the line.
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// `10:00`: when an hour begins, in the reader's zone.
pub fn hour_label(hour: &HourCount) -> String {
    hour.hour
        .start()
        .with_timezone(&chrono::Local)
        .format("%H:00")
        .to_string()
}

/// The chart of `hourly` (oldest first) as SVG markup; empty if it could
/// not be drawn (the figures table still says everything).
pub fn throughput_svg(hourly: &[HourCount]) -> String {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, hourly).and_then(|()| root.present().map_err(|e| e.to_string()))
    };
    match drawn {
        // The wrapper is the image (with its label); the drawing inside is
        // not a second one.
        Ok(()) => svg.replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", 1),
        Err(e) => {
            leptos::logging::warn!("the throughput chart could not be drawn: {e}");
            String::new()
        }
    }
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    hourly: &[HourCount],
) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| e.to_string();
    root.fill(&WHITE).map_err(|e| fail(&e))?;
    let peak = hourly.iter().map(|h| h.shipped).max().unwrap_or(0);
    let top = (peak + peak / 5).max(4);
    let last = (hourly.len() as i32 - 1).max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(40)
        .build_cartesian_2d(0..last, 0..top)
        .map_err(|e| fail(&e))?;
    let label = |i: &i32| {
        usize::try_from(*i)
            .ok()
            .and_then(|i| hourly.get(i))
            .map(hour_label)
            .unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(7)
        .y_labels(5)
        .x_label_formatter(&label)
        .y_label_formatter(&|n: &u64| n.to_string())
        .label_style(("sans-serif", 12).into_font().color(&INK))
        .axis_style(INK)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .draw()
        .map_err(|e| fail(&e))?;
    chart
        .draw_series(LineSeries::new(
            hourly
                .iter()
                .enumerate()
                .map(|(i, h)| (i as i32, h.shipped)),
            LINE.stroke_width(2),
        ))
        .map_err(|e| fail(&e))?;
    Ok(())
}
