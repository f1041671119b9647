// SPDX-License-Identifier: GPL-3.0-or-later
#include "svgchart.h"

#include <algorithm>
#include <cmath>

namespace metaaug::report {

namespace {

constexpr int kLeft = 64, kRight = 16, kTop = 30, kBottom = 48;
const char *const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

QString esc(QString s)
{
    return s.replace(QLatin1Char('&'), QStringLiteral("&amp;")).replace(QLatin1Char('<'), QStringLiteral("&lt;")).replace(QLatin1Char('>'), QStringLiteral("&gt;"));
}

QString num(double v)
{
    return QString::number(v, 'g', 4);
}

QString color(size_t i)
{
    return QLatin1String(kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))]);
}

struct Frame {
    int width, height;
    double x0, x1, y0, y1;
    bool logY;
    double px(double x) const { return kLeft + (x - x0) / (x1 - x0 > 0 ? x1 - x0 : 1) * (width - kLeft - kRight); }
    double py(double y) const
    {
        const double a = logY ? std::log10(y0) : y0, b = logY ? std::log10(y1) : y1, v = logY ? std::log10(y) : y;
        return height - kBottom - (v - a) / (b - a > 0 ? b - a : 1) * (height - kTop - kBottom);
    }
};

QString header(const Frame &f, const QString &title, const QString &xLabel, const QString &yLabel)
{
    QString s = QStringLiteral("<svg class=\"chart\" width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" "
                               "font-family=\"sans-serif\" font-size=\"11\">")
                    .arg(f.width).arg(f.height);
    s += QStringLiteral("<text x=\"%1\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">%2</text>").arg(f.width / 2).arg(esc(title));
    s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" stroke=\"#888\"/>")
             .arg(kLeft).arg(kTop).arg(f.width - kLeft - kRight).arg(f.height - kTop - kBottom);
    s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>").arg((kLeft + f.width - kRight) / 2).arg(f.height - 6).arg(esc(xLabel));
    s += QStringLiteral("<text x=\"14\" y=\"%1\" text-anchor=\"middle\" transform=\"rotate(-90 14 %1)\">%2</text>")
             .arg((kTop + f.height - kBottom) / 2).arg(esc(yLabel));
    // y ticks: 5 linear, or the decades of a log axis
    std::vector<double> ticks;
    if (f.logY) {
        for (double d = std::floor(std::log10(f.y0)); d <= std::ceil(std::log10(f.y1)); ++d)
            if (std::pow(10, d) >= f.y0 && std::pow(10, d) <= f.y1)
                ticks.push_back(std::pow(10, d));
    } else {
        for (int i = 0; i <= 4; ++i)
            ticks.push_back(f.y0 + (f.y1 - f.y0) * i / 4);
    }
    for (double t : ticks)
        s += QStringLiteral("<line x1=\"%1\" x2=\"%2\" y1=\"%3\" y2=\"%3\" stroke=\"#ddd\"/><text x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>")
                 .arg(kLeft).arg(f.width - kRight).arg(f.py(t), 0, 'f', 1).arg(kLeft - 4).arg(f.py(t) + 4, 0, 'f', 1).arg(num(t));
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
    QString s = header(f, title, xLabel, yLabel);
    for (int i = 0; i <= 4; ++i) {
        const double x = f.x0 + (f.x1 - f.x0) * i / 4;
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>").arg(f.px(x), 0, 'f', 1).arg(height - kBottom + 14).arg(num(x));
    }
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
    QString s = header(f, title, QString(), yLabel);
    const double slot = (f.px(1) - f.px(0)), bar = slot * 0.8 / double(std::max<size_t>(1, series.size()));
    for (size_t k = 0; k < series.size(); ++k)
        for (const auto &[x, y] : series[k].points) {
            if (!std::isfinite(y))
                continue;
            const double left = f.px(x) + slot * 0.1 + bar * double(k), top = std::min(f.py(y), f.py(0)), h = std::abs(f.py(y) - f.py(0));
            s += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"%5\"><title>%6: %7</title></rect>")
                     .arg(left, 0, 'f', 1).arg(top, 0, 'f', 1).arg(std::max(bar - 1, 0.5), 0, 'f', 1).arg(h, 0, 'f', 1).arg(color(k))
                     .arg(esc(labels.value(int(x))), num(y));
        }
    // Every k-th label, rotated, so that 50 layers stay legible.
    const int every = std::max(1, int(std::ceil(labels.size() * 12.0 / (width - kLeft - kRight))));
    for (int i = 0; i < labels.size(); i += every)
        s += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"end\" font-size=\"9\" transform=\"rotate(-40 %1 %2)\">%3</text>")
                 .arg(f.px(i) + slot / 2, 0, 'f', 1).arg(height - kBottom + 10).arg(esc(labels[i]));
    return s + legend(series, width) + QStringLiteral("</svg>");
}

}  // namespace metaaug::report
