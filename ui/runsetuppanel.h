// SPDX-License-Identifier: GPL-3.0-or-later
// The run's settings, built from core's tables: the run-spec fields shown
// in a form (run/specfields.h) and, per method, a section with its options
// (Method::options()) that appears when that method is chosen. Tooltips
// say what each does, its range and default. Presets come from core
// (run/presets.h); the settings persist in QSettings.
#pragma once

#include <QtCore/QJsonObject>
#include <QtWidgets/QWidget>

#include <map>

class QComboBox;
class QGroupBox;
class QSettings;

namespace metaaug::ui {

class FieldForm;

class RunSetupPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunSetupPanel(QWidget *parent = nullptr);

    // The settings as RunSpec JSON keys (the form's fields and the chosen
    // method's "method_options"); the model and data sources are added by
    // the caller.
    QJsonObject spec() const;
    // Sets the fields present in `spec` (same keys; method options go to the
    // section of spec's method, else the chosen one); others keep their value.
    void setSpec(const QJsonObject &spec);

    // One of runPresets(): every field and option back to its default, then
    // the preset's values.
    void applyPreset(const QString &id);

    void save(QSettings &settings) const;
    void restore(const QSettings &settings);

    QComboBox *methodBox() const;
    // The options section of a method; null for a method without options.
    QGroupBox *methodGroup(const QString &method) const;

Q_SIGNALS:
    void changed();

private:
    void showMethodSection();

    QComboBox *m_preset;
    int m_applying = 0;  // > 0 while the panel itself sets values (a preset, a spec)
    QJsonObject m_presetValues;  // the form's fields (less the method) as the last preset left them
    void markCustom();
    FieldForm *m_form;                              // the run-spec fields
    std::map<QString, QGroupBox *> m_methodGroups;  // method id -> its section
    std::map<QString, FieldForm *> m_methodForms;   // method id -> its options
};

}  // namespace metaaug::ui
