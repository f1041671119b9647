#include "resultspanel.h"

#include <QtCore/QJsonArray>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

QString percentText(const QJsonValue &v)
{
    return v.isDouble() ? QStringLiteral("%1 %").arg(v.toDouble(), 0, 'f', 2) : QStringLiteral("–");
}

ResultsPanel::ResultsPanel(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_headline = new QLabel(tr("No result yet."), this);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setWordWrap(true);
    m_layers = new QTableWidget(0, 6, this);
    m_layers->setObjectName(QStringLiteral("layerTable"));
    m_layers->setHorizontalHeaderLabels({tr("Layer"), tr("W bits"), tr("A bits"), tr("Weight SQNR (dB)"),
                                         tr("Output SQNR (dB)"), tr("Output MSE")});
    m_layers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->setSortingEnabled(true);
    m_layers->verticalHeader()->setVisible(false);
    l->addWidget(m_headline);
    l->addWidget(m_layers, 1);
}

void ResultsPanel::setResult(const QJsonObject &r, const QString &status, const QString &error)
{
    m_layers->setSortingEnabled(false);
    m_layers->setRowCount(0);
    if (r.isEmpty()) {
        m_headline->setText(status.isEmpty() ? tr("No result yet.")
                                             : tr("<b>Run %1.</b> %2").arg(status, error.toHtmlEscaped()));
        return;
    }
    m_headline->setText(tr("<table cellspacing=6>"
                           "<tr><td><b>Test top-1</b></td><td>FP %1</td><td>quantized <b>%2</b></td></tr>"
                           "<tr><td><b>Calibration top-1</b></td><td>FP %3</td><td>quantized %4</td></tr>"
                           "<tr><td><b>Gap</b> (calib − test)</td><td>%5 pt</td><td><b>Agreement</b> %6</td></tr>"
                           "<tr><td><b>Wall</b></td><td>%7 s</td><td>%8 W%9A%10, seed %11</td></tr></table>")
                            .arg(percentText(r.value("fp_top1")), percentText(r.value("q_top1")),
                                 percentText(r.value("fp_calib_top1")), percentText(r.value("q_calib_top1")),
                                 r.value("gap").isDouble() ? QString::number(r.value("gap").toDouble(), 'f', 2) : QStringLiteral("–"),
                                 percentText(r.value("agreement")))
                            .arg(r.value("wall_s").toDouble(), 0, 'f', 1)
                            .arg(r.value("method").toString()).arg(r.value("wbits").toInt()).arg(r.value("abits").toInt())
                            .arg(r.value("seed").toString()));
    const QJsonArray layers = r.value("layers").toArray();
    m_layers->setRowCount(int(layers.size()));
    for (int i = 0; i < layers.size(); ++i) {
        const QJsonObject o = layers[i].toObject();
        auto num = [](double v, int prec) {
            auto *it = new QTableWidgetItem;
            it->setData(Qt::DisplayRole, QString::number(v, 'f', prec).toDouble());
            return it;
        };
        m_layers->setItem(i, 0, new QTableWidgetItem(o.value("name").toString()));
        m_layers->setItem(i, 1, num(o.value("wbits").toInt(), 0));
        m_layers->setItem(i, 2, num(o.value("abits").toInt(), 0));
        m_layers->setItem(i, 3, num(o.value("weight_sqnr_db").toDouble(), 2));
        m_layers->setItem(i, 4, num(o.value("output_sqnr_db").toDouble(), 2));
        auto *mse = new QTableWidgetItem;
        mse->setData(Qt::DisplayRole, o.value("output_mse").toDouble());
        m_layers->setItem(i, 5, mse);
    }
    m_layers->setSortingEnabled(true);
}

QString ResultsPanel::headline() const
{
    return m_headline->text();
}

}  // namespace metaaug::ui
