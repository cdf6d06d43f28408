//! A task's fields, as the new-task page, the task page and a message's page show
//! them: what is to be done, notes, for whom, when, and how urgent.

use leptos::prelude::*;

use super::{TaskEditor, TaskInput, TaskPriority};
use crate::components::field::{field_error, SelectField, TextAreaField, TextField};
use crate::error::AppError;

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
            label="What is to be done"
            name="task[title]"
            id="task-title"
            value=input.title
            error=field_error(error, "title")
        />
        <TextAreaField
            label="Notes"
            name="task[notes]"
            id="task-notes"
            value=input.notes
            rows=4
            error=field_error(error, "notes")
        />
        <div class="form-grid">
            <SelectField
                label="For"
                name="task[assignee]"
                id="task-assignee"
                options=editor.choices
                selected=Some(input.assignee)
                error=field_error(error, "assignee")
            />
            <SelectField
                label="Priority"
                name="task[priority]"
                id="task-priority"
                options=priorities
                selected=Some(input.priority)
                error=field_error(error, "priority")
            />
            <TextField
                label="Due day (optional)"
                name="task[due_date]"
                id="task-due-date"
                input_type="date"
                value=input.due_date
                hint=format!("In the account's time, {}.", editor.zone)
                error=field_error(error, "due_date")
            />
            <TextField
                label="Due time (optional)"
                name="task[due_time]"
                id="task-due-time"
                input_type="time"
                value=input.due_time
                hint="Empty: any time that day."
                error=field_error(error, "due_time")
            />
        </div>
        {only_for_themselves
            .then(|| view! { <p class="muted">"Tasks you make are for you; the account's admins assign tasks to others."</p> })}
    }
}
