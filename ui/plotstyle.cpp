// SPDX-License-Identifier: GPL-3.0-or-later
#include "plotstyle.h"

#include <qcustomplot.h>

#include <cmath>

namespace metaaug::ui {

QColor seriesColor(int i)
{
    static const QColor palette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44), QColor(214, 39, 40),
                                     QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127),
                                     QColor(188, 189, 34), QColor(23, 190, 207)};
    return palette[((i % 10) + 10) % 10];
}

void stylePlot(QCustomPlot *plot, const QString &title, const QString &xLabel, const QString &yLabel)
{
    plot->plotLayout()->insertRow(0);
    auto *t = new QCPTextElement(plot, title, QFont(plot->font().family(), plot->font().pointSize() + 1, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, t);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->legend->setVisible(true);
    QFont small = plot->font();
    small.setPointSize(std::max(6, small.pointSize() - 2));
    plot->legend->setFont(small);
    plot->legend->setRowSpacing(-3);
    plot->legend->setBrush(QColor(255, 255, 255, 200));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->setMinimumSize(240, 180);  // two side by side leave the run view's side room for the results table
    QFont ticks = plot->xAxis->tickLabelFont();
    ticks.setPointSize(std::max(6, ticks.pointSize() - 1));
    plot->xAxis->setTickLabelFont(ticks);
}

QCustomPlot *makePlot(QWidget *parent, const char *objectName, const QString &title, const QString &xLabel,
                      const QString &yLabel)
{
    auto *p = new QCustomPlot(parent);
    p->setObjectName(QLatin1String(objectName));
    stylePlot(p, title, xLabel, yLabel);
    return p;
}

namespace {

constexpr const char *kCategoryNames = "metaaugCategoryNames";

void writeCategoryTicks(QCustomPlot *plot)
{
    const QStringList names = plot->property(kCategoryNames).toStringList();
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(plot->xAxis->ticker());
    if (!ticker) {
        ticker.reset(new QCPAxisTickerText);
        plot->xAxis->setTicker(ticker);
    }
    // Rotated labels stack at one line height each: as many as the axis holds.
    const int room = std::max(40, plot->axisRect()->width() > 0 ? plot->axisRect()->width() : plot->width() - 60);
    const int line = QFontMetrics(plot->xAxis->tickLabelFont()).height() + 1;
    const int step = std::max(1, int(std::ceil(double(names.size()) * line / room)));
    ticker->clear();
    for (int k = 0; k < names.size(); k += step)
        ticker->addTick(k, names[k]);
}

// Re-thins the labels on resize; shows the category under the mouse.
class CategoryTicks : public QObject {
public:
    explicit CategoryTicks(QCustomPlot *plot) : QObject(plot), m_plot(plot)
    {
        plot->installEventFilter(this);
        connect(plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *e) {
            const QStringList names = m_plot->property(kCategoryNames).toStringList();
            const int k = int(std::lround(m_plot->xAxis->pixelToCoord(e->pos().x())));
            m_plot->setToolTip(k >= 0 && k < names.size() && m_plot->axisRect()->rect().contains(e->pos()) ? names[k] : QString());
        });
    }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_plot && event->type() == QEvent::Resize)
            QMetaObject::invokeMethod(this, [this] {
                m_plot->replot(QCustomPlot::rpImmediateRefresh);  // lays the axis rect out at the new size
                writeCategoryTicks(m_plot);
                m_plot->replot(QCustomPlot::rpQueuedReplot);
            }, Qt::QueuedConnection);
        return false;
    }

private:
    QCustomPlot *m_plot;
};

// QCustomPlot's log ticker labels with a fixed precision, so over less than
// a decade its ticks 0.15, 0.2, 0.25 all read "2·10^-1". This one keeps
// the log ticks over a decade or more and, below that, places linear ticks
// and labels each with just enough significant digits to tell it apart.
class LogTicker : public QCPAxisTickerLog {
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange &range) override
    {
        m_digits = 0;
        if (range.lower <= 0 || range.upper / range.lower >= 10)
            return QCPAxisTickerLog::createTickVector(tickStep, range);
        QVector<double> ticks = QCPAxisTicker::createTickVector(tickStep, range);
        for (m_digits = 1; m_digits < 8; ++m_digits) {
            QStringList labels;
            for (double t : ticks)
                labels << QString::number(t, 'g', m_digits);
            labels.removeDuplicates();
            if (labels.size() == ticks.size())
                break;
        }
        return ticks;
    }
    QString getTickLabel(double tick, const QLocale &locale, QChar formatChar, int precision) override
    {
        if (m_digits > 0)
            return locale.toString(tick, 'g', m_digits);
        return QCPAxisTickerLog::getTickLabel(tick, locale, formatChar, precision);
    }
    int m_digits = 0;  // > 0: the range is under a decade
};
}  // namespace

void setCategoryTicks(QCustomPlot *plot, const QStringList &names)
{
    if (!plot->property(kCategoryNames).isValid())  // the first call installs the resize and tool-tip handler
        new CategoryTicks(plot);
    plot->setProperty(kCategoryNames, names);
    writeCategoryTicks(plot);
}

void setLogAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new LogTicker);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

}  // namespace metaaug::ui
