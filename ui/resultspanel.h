// A finished run's headline (FP vs quantized top-1, calibration top-1, gap,
// agreement) and its per-layer table, from the result JSON.
#pragma once

#include <QtCore/QJsonObject>
#include <QtWidgets/QWidget>

class QLabel;
class QTableWidget;

namespace metaaug::ui {

class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget *parent = nullptr);

    // Empty result: a note with the status and error instead.
    void setResult(const QJsonObject &result, const QString &status = {}, const QString &error = {});
    QString headline() const;
    QTableWidget *layerTable() const { return m_layers; }

private:
    QLabel *m_headline;
    QTableWidget *m_layers;
};

// "93.42 %" or "–" for a missing value.
QString percentText(const QJsonValue &v);

}  // namespace metaaug::ui
