// SPDX-License-Identifier: GPL-3.0-or-later
#include "svgchart.h"

#include <algorithm>
#include <cmath>

namespace metaaug::report {

namespace {

constexpr int kLeft = 64, kRight = 16, kTop = 30, kBottom = 48;
// The bar chart's category labels: font size, rotation, distance below the frame.
constexpr int kLabelFontPx = 9, kLabelOffset = 10;
constexpr double kLabelDegrees = 40;
// Mean advance of a sans-serif character, in font sizes (the SVG has no
// font metrics; 0.62 is above the mean of Latin letters and digits, so a
// label's room errs on the large side).
constexpr double kCharWidthEm = 0.62;
const char *const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

QString esc(QString s)
{
    return s.replace(QLatin1Char('&'), QStringLiteral("&amp;")).replace(QLatin1Char('<'), QStringLiteral("&lt;")).replace(QLatin1Char('>'), QStringLiteral("&gt;"));
}

QString color(size_t i)
{
    return QLatin1String(kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))]);
}

double labelWidth(int chars)
{
    return chars * kLabelFontPx * kCharWidthEm;
}

struct Frame {
    int width, height;
    double x0, x1, y0, y1;
    bool logY;
    int left = kLeft, bottom = kBottom;
    double px(double x) const { return left + (x - x0) / (x1 - x0 > 0 ? x1 - x0 : 1) * (width - left - kRight); }
    double py(double y) const
    {
        const double a = logY ? std::log10(y0) : y0, b = logY ? std::log10(y1) : y1, v = logY ? std::log10(y) : y;
        return height - bottom - (v - a) / (b - a > 0 ? b - a : 1) * (height - kTop - bottom);
    }
};

// Widens a linear range to the nice ticks around it, so that the frame
// starts and ends on a labelled value.
void niceBounds(double &lo, double &hi)
{
    const double step = niceStep(lo, hi);
    lo = std::floor(lo / step + 1e-9) * step;
    hi = std::ceil(hi / step - 1e-9) * step;
}

QString header(const Frame &f, const QString &title, const QString &xLabel, const QString &yLabel)
{
    QString s = QStringLiteral("<svg class=\"chart\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" "
                               "font-family=\"sans-serif\" font-size=\"11\">")
                    .arg(f.width).arg(f.height);
    s += QStringLiteral("<text x=\"%1\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">%2</text>").arg(f.width / 2).arg(esc(title));
    s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" stroke=\"#888\"/>")
             .arg(f.left).arg(kTop).arg(f.width - f.left - kRight).arg(f.height - kTop - f.bottom);
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>").arg((f.left + f.width - kRight) / 2).arg(f.height - 6).arg(esc(xLabel));
    s += QStringLiteral("<text x=\"14\" y=\"%1\" text-anchor=\"middle\" transform=\"rotate(-90 14 %1)\">%2</text>")
             .arg((kTop + f.height - f.bottom) / 2).arg(esc(yLabel));
    const std::vector<double> ticks = f.logY ? logTicks(f.y0, f.y1) : niceTicks(f.y0, f.y1);
    // A log axis labels decades with their own value, linear ticks with the step.
    const bool decades = f.logY && ticks.size() > 1 && ticks[1] / ticks[0] >= 10 - 1e-9;
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : niceStep(f.y0, f.y1);
    for (double t : ticks)
        s += QStringLiteral("<line x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\" stroke=\"#ddd\"/><text x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>")
                 .arg(f.left).arg(f.width - kRight).arg(f.py(t), 0, 'f', 1).arg(f.left - 4).arg(f.py(t) + 4, 0, 'f', 1)
                 .arg(tickLabel(t, decades ? t : step));
    return s;
}

QString legend(const std::vector<SvgSeries> &series, int width)
{
    QString s;
    if (series.size() < 2)
        return s;
    int y = kTop + 12;
    for (size_t i = 0; i < series.size() && i < 12; ++i, y += 14)
        s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"10\" height=\"10\" fill=\"%3\"/><text x=\"%4\" y=\"%5\">%6</text>")
                 .arg(width - kRight - 150).arg(y - 9).arg(color(i)).arg(width - kRight - 136).arg(y).arg(esc(series[i].name));
    return s;
}

}  // namespace

double niceStep(double lo, double hi, int target)
{
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span))
        return lo != 0 && std::isfinite(lo) ? std::pow(10.0, std::floor(std::log10(std::abs(lo)))) : 1.0;
    const double raw = span / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / magnitude;
    return magnitude * (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10);
}

std::vector<double> niceTicks(double lo, double hi, int target)
{
    std::vector<double> ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo)
        return ticks;
    const double step = niceStep(lo, hi, target);
    const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
    for (double i = first; i <= last && ticks.size() < 100; ++i)
        ticks.push_back(i == 0 ? 0.0 : i * step);  // i * step: no drift from repeated additions
    return ticks;
}

std::vector<double> logTicks(double lo, double hi)
{
    std::vector<double> ticks;
    if (!(lo > 0) || !std::isfinite(hi) || hi < lo)
        return ticks;
    const int d0 = int(std::ceil(std::log10(lo) - 1e-9)), d1 = int(std::floor(std::log10(hi) + 1e-9));
    if (d1 - d0 + 1 < 2)
        return niceTicks(lo, hi, 4);
    const int every = (d1 - d0 + 1 + 7) / 8;
    for (int d = d0; d <= d1; ++d)
        if (d % every == 0)
            ticks.push_back(std::pow(10.0, d));
    return ticks;
}

QString tickLabel(double value, double step)
{
    step = std::abs(step);
    if (std::abs(value) < step * 1e-9)
        return QStringLiteral("0");
    if (step >= 1 && std::abs(value) < 1e7)
        return QString::number(value, 'f', 0);
    if (step >= 1e-4 && step < 1)
        return QString::number(value, 'f', int(std::ceil(-std::log10(step) - 1e-9)));
    return QString::number(value, 'g', 3);
}

int rotatedLabelRoom(int chars)
{
    const double a = kLabelDegrees * M_PI / 180;
    // Offset below the frame, the rotated text's drop, its glyphs' own height, a margin.
    return int(std::ceil(kLabelOffset + std::sin(a) * labelWidth(chars) + std::cos(a) * kLabelFontPx + 4));
}

QString svgLineChart(const QString &title, const std::vector<SvgSeries> &series, const QString &xLabel, const QString &yLabel, bool logY,
                     int width, int height)
{
    Frame f{width, height, 1e300, -1e300, 1e300, -1e300, logY};
    for (const SvgSeries &s : series)
        for (const auto &[x, y] : s.points)
            if (std::isfinite(x) && std::isfinite(y) && (!logY || y > 0)) {
                f.x0 = std::min(f.x0, x);
                f.x1 = std::max(f.x1, x);
                f.y0 = std::min(f.y0, y);
                f.y1 = std::max(f.y1, y);
            }
    if (f.x0 > f.x1)
        return QStringLiteral("<p class=\"empty\">%1: no data</p>").arg(esc(title));
    if (f.y0 == f.y1) {
        f.y0 = logY ? f.y0 / 2 : f.y0 - 1;
        f.y1 = logY ? f.y1 * 2 : f.y1 + 1;
    }
    if (!logY)
        niceBounds(f.y0, f.y1);
    QString s = header(f, title, xLabel, yLabel);
    const double xStep = niceStep(f.x0, f.x1);
    for (double x : niceTicks(f.x0, f.x1))
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>").arg(f.px(x), 0, 'f', 1).arg(height - f.bottom + 14)
                 .arg(tickLabel(x, xStep));
    for (size_t i = 0; i < series.size(); ++i) {
        QStringList pts;
        for (const auto &[x, y] : series[i].points)
            if (std::isfinite(x) && std::isfinite(y) && (!logY || y > 0))
                pts << QStringLiteral("%1,%2").arg(f.px(x), 0, 'f', 1).arg(f.py(y), 0, 'f', 1);
        s += QStringLiteral("<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"1.5\" points=\"%2\"><title>%3</title></polyline>")
                 .arg(color(i), pts.join(QLatin1Char(' ')), esc(series[i].name));
    }
    return s + legend(series, width) + QStringLiteral("</svg>");
}

QString svgBarChart(const QString &title, const QStringList &labels, const std::vector<SvgSeries> &series, const QString &yLabel, int width,
                    int height)
{
    Frame f{width, height, 0, double(std::max<qsizetype>(1, labels.size())), 0, 0, false};
    for (const SvgSeries &s : series)
        for (const auto &[x, y] : s.points)
            if (std::isfinite(y)) {
                f.y0 = std::min(f.y0, y);
                f.y1 = std::max(f.y1, y);
            }
    if (labels.isEmpty() || f.y1 == f.y0)
        return QStringLiteral("<p class=\"empty\">%1: no data</p>").arg(esc(title));
    niceBounds(f.y0, f.y1);
    // Every k-th label, so that 50 layers stay legible.
    const int every = std::max(1, int(std::ceil(labels.size() * 12.0 / (width - kLeft - kRight))));
    qsizetype longest = 0;
    for (int i = 0; i < labels.size(); i += every)
        longest = std::max(longest, labels[i].size());
    // The labels hang below the frame: the chart grows by the room they
    // need, and the frame starts far enough right for the first one.
    f.bottom = std::max(kBottom, rotatedLabelRoom(int(longest)));
    f.height = height - kBottom + f.bottom;
    for (int pass = 0; pass < 2; ++pass) {  // the slot depends on the left edge
        const double slot = f.px(1) - f.px(0);
        double need = 0;  // how far the labels reach left of the frame's edge
        for (int i = 0; i < labels.size(); i += every)
            need = std::max(need, std::cos(kLabelDegrees * M_PI / 180) * labelWidth(int(labels[i].size())) - (i + 0.5) * slot);
        f.left = std::max(kLeft, int(std::ceil(need + 2)));
    }
    QString s = header(f, title, QString(), yLabel);
    const double slot = (f.px(1) - f.px(0)), bar = slot * 0.8 / double(std::max<size_t>(1, series.size()));
    for (size_t k = 0; k < series.size(); ++k)
        for (const auto &[x, y] : series[k].points) {
            if (!std::isfinite(y))
                continue;
            const double left = f.px(x) + slot * 0.1 + bar * double(k), top = std::min(f.py(y), f.py(0)), h = std::abs(f.py(y) - f.py(0));
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"><title>%6: %7</title></rect>")
                     .arg(left, 0, 'f', 1).arg(top, 0, 'f', 1).arg(std::max(bar - 1, 0.5), 0, 'f', 1).arg(h, 0, 'f', 1).arg(color(k))
                     .arg(esc(labels.value(int(x))), QString::number(y, 'g', 4));
        }
    for (int i = 0; i < labels.size(); i += every)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"%4\" transform=\"rotate(%5 %1 %2)\">%3</text>")
                 .arg(f.px(i) + slot / 2, 0, 'f', 1).arg(f.height - f.bottom + kLabelOffset).arg(esc(labels[i])).arg(kLabelFontPx)
                 .arg(-kLabelDegrees);
    return s + legend(series, width) + QStringLiteral("</svg>");
}

}  // namespace metaaug::report
