"""English: every text of the router-side journeys (keys as in `messages_id`)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "words.yes": "yes|yeah|yep|sure|correct|send|confirm|okay",
    "words.no": "no|nope|not now",
    "words.skip": "skip|none|no photo|no",
    "words.cancel": "cancel|stop|quit|exit|never mind",
    "button.yes": "Yes",
    "button.no": "No",
    "button.skip": "Skip",
    "button.send": "Send report",
    "button.cancel": "Cancel",
    "consent.notice": (
        "Privacy note: your messages are kept to handle your request and are only opened by "
        "authorised officers. Please do not send data that is not needed. Privacy policy: "
        '{privacy_url} · Guide: {help_url}. Type "what data do you hold" to see your data or '
        '"delete my data" to erase it.'
    ),
    "help.answer": (
        "I can explain the requirements, procedure, fees and location of services, check a "
        'status (type "check status" and the number), take a complaint (type "I want to '
        'complain"), or connect you with an officer (type "talk to an officer"). '
        "Full guide: {help_url} · Privacy policy: {privacy_url}"
    ),
    "complaint.start": (
        "All right, I will help you file your report. You can stop at any time by typing "
        '"cancel".\nWhat kind of report is it?'
    ),
    "complaint.category_invalid": (
        "Sorry, please choose one: 1 Complaint, 2 Aspiration, or 3 Information request."
    ),
    "complaint.ask_description": "Please describe what happened (at least {min} characters).",
    "complaint.description_short": (
        "That is too short. Please describe what happened in more detail (at least {min} "
        "characters)."
    ),
    "complaint.ask_location": "Where did it happen? (place, street, village or district)",
    "complaint.location_invalid": "Please write the location (at least 3 characters).",
    "complaint.ask_when": "When did it happen? (for example: today, yesterday, or 20/11/2026)",
    "complaint.when_invalid": (
        "Sorry, I could not understand that date or it is in the future. Write for example: "
        "today, yesterday, 3 days ago, or 20/11/2026."
    ),
    "complaint.ask_photo": (
        "Do you have a supporting photo or document? Send it now (JPG, PNG or PDF, at most "
        '10 MB), or type "skip".'
    ),
    "complaint.photo_received": "Attachment received: {name}.",
    "complaint.photo_invalid": 'Please send the photo, or type "skip".',
    "complaint.ask_handling": (
        "How should this report be handled?\n"
        "• Public: the content may be shown publicly.\n"
        "• Confidential: the content is not published.\n"
        "• Anonymous: your identity is hidden from officers and reports."
    ),
    "complaint.handling_invalid": "Please choose one: Public, Confidential, or Anonymous.",
    "complaint.ask_nik": (
        "So that you can see the report's details later, send your NIK (16 digits). It is "
        'kept confidential. Type "skip" if you prefer not to.'
    ),
    "complaint.nik_invalid": 'A NIK has 16 digits. Send it again, or type "skip".',
    "complaint.summary": (
        "Your report:\n• Type: {category}\n• What happened: {description}\n"
        "• Where: {location}\n• When: {occurred}\n• Attachment: {photo}\n"
        "• Handling: {handling}\n• NIK: {nik}\n"
        'Is this right? Reply "yes" to send it, or "cancel".'
    ),
    "complaint.confirm_invalid": 'Reply "yes" to send the report, or "cancel" to drop it.',
    "complaint.filed": (
        "We have received your report under number {number}. Keep this number; follow it by "
        'typing "check status {number}". It has been routed to the {unit} unit and will be '
        'verified within 3 working days. Status updates will arrive here (type "stop" to '
        "stop them)."
    ),
    "complaint.cancelled": (
        "All right, the report is cancelled and nothing was kept. Anything else I can do?"
    ),
    "complaint.failed": (
        "Sorry, the report could not be saved because of a system problem. Please try again "
        "later or report it on lapor.go.id."
    ),
    "none": "none",
    "nik.given": "given (hidden)",
    "handling.public": "Public",
    "handling.rahasia": "Confidential",
    "handling.anonim": "Anonymous",
    "lookup.verified": "Identity confirmed. Details of {number}:",
    "lookup.name": "• Name: {name}",
    "lookup.nik": "• NIK: {nik}",
    "lookup.phone": "• Phone: {phone}",
    "lookup.note": "• Officer's note: {note}",
    "lookup.no_note": "• No officer's note yet.",
    "lookup.complaint": "• Report: {description}",
    "lookup.wrong": "Sorry, those 4 digits do not match. Tries left: {n}.",
    "lookup.locked": (
        "Too many wrong tries. The details of {number} are locked for 1 hour. Its general "
        "status can still be checked."
    ),
    "notify.offer": "Would you like an update here when the status of {number} changes? "
    'Reply "yes".',
    "notify.subscribed": (
        'Done: you will be told here when the status of {number} changes. Type "stop" at '
        "any time to stop."
    ),
    "notify.declined": "All right, no automatic updates.",
    "notify.update": (
        'Update on {number}: the status is now "{label}".{note} Type "stop" to stop these updates.'
    ),
    "notify.update_note": " Note: {note}.",
    "notify.stopped": "Done: you will not receive automatic updates any more.",
    "notify.nothing": "You are not subscribed to any status updates.",
    "erasure.filed": (
        "Your request to delete your data has been recorded (request number {id}). An officer "
        "will review it by {due} WIB; we will tell you the outcome here."
    ),
    "erasure.already": "Your erasure request (number {id}) is already recorded and in review.",
    "erasure.approved": (
        "Your erasure request was approved. Your messages, identifiers (NIK, phone number), "
        "attachments and reports in this service have been deleted or anonymised."
    ),
    "erasure.refused": "Your erasure request cannot be granted. Reason: {reason}",
    "access.answer": (
        "The data we hold about you in this service (request number {id}, answered under "
        "UU 27/2022 article 32):\n• This conversation: {messages} messages since {since} "
        "(channel {channel}, language {chat_language})\n• Reports: {complaints}\n"
        "• Numbers you verified: {verified}\n• Status updates: {subscriptions}\n"
        "• Attachments: {attachments}\n"
        "NIK and phone numbers are only shown masked. You may ask for a correction or for "
        'deletion (type "delete my data").'
    ),
    "upload.received": "Attachment received: {name}. The officers can see it.",
    "docs.start": "Documents for {number} ({count} items). Send a photo or PDF for each; type "
    '"skip" to skip one, "cancel" to stop.',
    "docs.item": "{index}/{count}: {item}",
    "docs.stored": 'Received for "{item}": {name}.',
    "docs.invalid": 'Please send a photo or PDF for this item, or type "skip".',
    "docs.done": "Thank you: {stored} documents attached to {number}; an officer will check them.",
    "docs.need_verified": "To send documents, first check your application's status (\"check "
    'status" and the number), then send the last 4 digits of the NIK.',
    "docs.none": "The catalog lists no requirements for {number} yet.",
    "words.documents": "send documents|upload documents|send my documents",
    # --- issue 17: ask before a complaint; the way out of every form ---
    "complaint.check": "Would you like to file a complaint?",
    "complaint.check_declined": "All right, no complaint then. What else can I help you with?",
    "form.complaint": "your complaint",
    "form.documents": "sending your documents",
    "form.survey": "the satisfaction survey",
    "form.application": "your application",
    "form.verify": "the identity check",
    "form.resume": "Shall we go on with {form}?",
    "form.left": "All right, {form} is stopped. What else can I help you with?",
    "button.continue": "Continue",
    "lookup.ask_last4": (
        "Send the last 4 digits of the applicant's NIK to see the details of {number}."
    ),
    "words.resume": "continue|go on|resume|yes|ok|okay",
}
