// The run's settings: method, bits, calibration size, iterations, seed and
// MetaAug's options (from core's option table, each with a tooltip saying
// what it does and its default), with presets and QSettings persistence.
#pragma once

#include <QtCore/QJsonObject>
#include <QtWidgets/QWidget>

#include <map>

class QComboBox;
class QGroupBox;
class QSettings;
class QSpinBox;
class QWidget;

namespace metaaug::ui {

class RunSetupPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunSetupPanel(QWidget *parent = nullptr);

    // The settings as RunSpec JSON keys (method, wbits, abits, setting,
    // calib_size, iters, batch, seed, eval_limit, threads, method_options);
    // the model and data sources are added by the caller.
    QJsonObject spec() const;
    // Sets the fields present in `spec` (same keys); others keep their value.
    void setSpec(const QJsonObject &spec);

    // One of runPresets() (core/run/presets.h): quick, default, paper.
    static QStringList presetIds();
    void applyPreset(const QString &id);

    void save(QSettings &settings) const;
    void restore(const QSettings &settings);

    QComboBox *methodBox() const { return m_method; }
    QGroupBox *metaAugGroup() const { return m_meta; }

Q_SIGNALS:
    void changed();

private:
    QComboBox *m_preset, *m_method, *m_setting;
    QSpinBox *m_wbits, *m_abits, *m_calib, *m_iters, *m_batch, *m_seed, *m_evalLimit, *m_threads;
    QGroupBox *m_meta;
    std::map<QString, QWidget *> m_metaFields;  // JSON key -> editor
};

}  // namespace metaaug::ui
