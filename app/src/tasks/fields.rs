//! A task's fields, as the new-task page, the task page and a message's page show
//! them: what is to be done, notes, for whom, when, and how urgent.

use leptos::prelude::*;

use super::{TaskEditor, TaskInput, TaskPriority};
use crate::components::field::{field_error, SelectField, TextAreaField, TextField};
use crate::error::AppError;
use crate::tr;

#[component]
pub fn TaskFields(
    input: TaskInput,
    editor: TaskEditor,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let priorities = TaskPriority::ALL
        .iter()
        .map(|priority| (priority.key().to_string(), priority.label().to_string()))
        .collect();
    let only_for_themselves = editor.choices.len() == 1;
    view! {
        <TextField
            label=tr!(tasks.fields.title)
            name="task[title]"
            id="task-title"
            value=input.title
            error=field_error(error, "title")
        />
        <TextAreaField
            label=tr!(tasks.fields.notes)
            name="task[notes]"
            id="task-notes"
            value=input.notes
            rows=4
            error=field_error(error, "notes")
        />
        <div class="form-grid">
            <SelectField
                label=tr!(tasks.fields.assignee)
                name="task[assignee]"
                id="task-assignee"
                options=editor.choices
                selected=Some(input.assignee)
                error=field_error(error, "assignee")
            />
            <SelectField
                label=tr!(tasks.fields.priority)
                name="task[priority]"
                id="task-priority"
                options=priorities
                selected=Some(input.priority)
                error=field_error(error, "priority")
            />
            <TextField
                label=tr!(tasks.fields.due_date)
                name="task[due_date]"
                id="task-due-date"
                input_type="date"
                value=input.due_date
                hint=tr!(tasks.fields.due_date_hint, zone = editor.zone.clone())
                error=field_error(error, "due_date")
            />
            <TextField
                label=tr!(tasks.fields.due_time)
                name="task[due_time]"
                id="task-due-time"
                input_type="time"
                value=input.due_time
                hint=tr!(tasks.fields.due_time_hint)
                error=field_error(error, "due_time")
            />
        </div>
        {only_for_themselves
            .then(|| view! { <p class="muted">{tr!(tasks.fields.only_yours)}</p> })}
    }
}
