// SPDX-License-Identifier: GPL-3.0-or-later
// A form built from a field table (core's common/field.h): one editor per
// field with its label and a tooltip saying what it does, its range and
// its default. Spin boxes for integers, line edits for numbers and text,
// combo boxes for choices, check boxes for booleans.
#pragma once

#include "common/field.h"

#include <QtWidgets/QWidget>

#include <map>

class QFormLayout;

namespace metaaug::ui {

class FieldForm : public QWidget {
    Q_OBJECT
public:
    // Editors are named `namePrefix + key` (for tests and screenshots).
    FieldForm(FieldTable fields, const QString &namePrefix, QWidget *parent = nullptr);

    // Every field's current value as JSON (numbers that do not parse stay
    // text: core's validation names the key).
    QJsonObject values() const;
    // Sets the keys present in `values` that are fields of this form.
    void setValues(const QJsonObject &values);
    // Every field back to its default.
    void reset();
    QWidget *editor(const QString &key) const;
    const FieldTable &fields() const { return m_fields; }

Q_SIGNALS:
    void changed();

private:
    FieldTable m_fields;
    std::map<QString, QWidget *> m_editors;  // key -> editor
};

}  // namespace metaaug::ui
