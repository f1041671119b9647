#include "plotstyle.h"

#include <qcustomplot.h>

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

void setLogAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new LogTicker);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

}  // namespace metaaug::ui
