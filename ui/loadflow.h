// SPDX-License-Identifier: GPL-3.0-or-later
// The model, data and card flow of the window: WorkbenchState loads on the
// thread pool and the model and data panels follow; a model without a card
// gets the card dialog (after its file was read); per-layer bits are kept
// only for the layers a new model has; data whose classes cannot be the
// model's outputs is said in red in the data panel.
#pragma once

#include "model/classcheck.h"
#include "model/modelsummary.h"

#include <QtCore/QObject>

#include <optional>

class QWidget;

namespace metaaug::ui {

class DataPanel;
class ModelPanel;
class RunSetupPanel;
class RunView;
class WorkbenchState;

class LoadFlow : public QObject {
    Q_OBJECT
public:
    // `window` parents the card dialog; `live` gets the log lines.
    struct Views {
        QWidget *window;
        ModelPanel *model;
        DataPanel *data;
        RunSetupPanel *setup;
        RunView *live;
    };
    LoadFlow(WorkbenchState *state, const Views &views, QObject *parent = nullptr);

    void openModel(const QString &path);
    void openCalibration(const QString &source);
    void openEvaluation(const QString &source);

Q_SIGNALS:
    void modelLoaded(bool ok);
    void calibrationLoaded(bool ok);
    void errorOccurred(const QString &title, const QString &message);
    void statusMessage(const QString &text, int timeoutMs);

private:
    void onModelLoaded(const Result<ModelSummary> &r);
    // A model without a card: the card dialog, then the model opened with its card.
    void askForCard(const QString &path);
    // The model panel after a model did not open: the previous model, or `message`.
    void showPreviousModel(const QString &message);
    void keepLayerBitsOf(const ModelSummary &model);
    void updateDataWarnings();

    WorkbenchState *m_state;
    Views m_views;
    std::optional<ClassCheckInput> m_calibClasses, m_evalClasses;  // the data's classes, for updateDataWarnings()
    std::optional<ModelSummary> m_modelSummary;  // of the model open, shown again when another fails to open
};

}  // namespace metaaug::ui
