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
    plot->setMinimumSize(260, 180);
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

void setLogAxis(QCPAxis *axis)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    axis->setTicker(ticker);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

}  // namespace metaaug::ui
