"""English: every text the actions send. Same keys as `messages_id`."""

from __future__ import annotations

MONTHS: tuple[str, ...] = tuple(
    "January February March April May June July August September October November December".split()
)
DAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

MESSAGES: dict[str, str] = {
    # --- shared -------------------------------------------------------------------------
    "helpdesk_busy": (
        "Sorry, our system is busy and cannot fetch the information right now. Please try "
        "again in a little while, or contact your nearest service office directly."
    ),
    "this_service": "service",
    # --- service answers (formatting.py) ------------------------------------------------
    "intent.ask_requirements": "Requirements",
    "intent.ask_procedure": "Procedure",
    "intent.ask_fee": "Fee",
    "intent.ask_duration": "Processing time",
    "intent.ask_location_hours": "Location & hours",
    "intent.ask_eligibility": "Who may apply",
    "regional.note": "Note: {note}",
    "regional.generic": "these rules may differ from region to region.",
    "requirements.title": "Requirements for the {name}:",
    "requirements.who": "For: {who}",
    "requirements.none": (
        "Sorry, the list of requirements for the {name} is not available yet. "
        "Please ask at the office."
    ),
    "procedure.title": "How to apply for the {name}:",
    "procedure.none": (
        "Sorry, the steps for the {name} are not available yet. Please ask at the office."
    ),
    "fee.free": "Fee for the {name}: free.",
    "fee.amount": "Fee for the {name}: {amount}.",
    "fee.title": "Fee for the {name}:",
    "fee.none": (
        "Sorry, fee information for the {name} is not available yet. Please ask at the office."
    ),
    "fee.report": "If anyone asks you to pay, you can report it here.",
    "duration.title": "Processing time for the {name}:",
    "eligibility.title": "Who may apply for the {name}:",
    "eligibility.none": (
        "Sorry, who may apply for the {name} is not in our data yet. "
        "Please ask your local service office."
    ),
    "duration.none": (
        "Sorry, the processing time for the {name} is not available yet. Please ask at the office."
    ),
    "duration.validity": "Validity: {validity}",
    "location.title": "Where to apply for the {name}:",
    "location.address": "Address: {address}",
    "location.hours": "Opening hours:",
    "location.phone": "Phone: {phone}",
    "location.website": "Website: {website}",
    "location.none": "Sorry, the office details are not available yet.",
    "location.online": "You can also do it online: {online}",
    "location.region": "These office details are for {region}.",
    "contact.phone": "phone {phone}",
    "follow_up": "Is there anything else you would like to know about the {name}?",
    # --- catalog actions ----------------------------------------------------------------
    "catalog.ask_which": "Which service do you mean?",
    "catalog.type_hint": "Type the name of the service, e.g. KTP, Kartu Keluarga or SKCK.",
    "catalog.unknown": (
        "Sorry, that service is not in our catalogue yet. "
        "Would you like to see the list of available services?"
    ),
    "catalog.show_list": "See the list of services",
    "catalog.empty": "Sorry, the list of services is not available at the moment.",
    "catalog.more": "Other services",
    "catalog.list_title": "Services I can help you with:",
    "catalog.list_title_region": "Services I can help you with in {region}:",
    "catalog.list_footer": "Choose a service to see its requirements, or just ask me.",
    "category.kependudukan": "Civil registration",
    "category.kepolisian": "Police",
    "category.perizinan": "Permits and licences",
    "category.pajak": "Taxes",
    "category.kesehatan": "Health",
    "category.sosial": "Social welfare",
    "category.ketenagakerjaan": "Employment",
    "category.keimigrasian": "Immigration",
    "category.other": "Other",
    # --- the resolver: other agencies, refusals, case answers, the service page ---------
    "elsewhere.answer": (
        "{title} is not handled by our service but by {agency}.\nHow to reach them: {reach}"
    ),
    "elsewhere.officer": "Ask our officer",
    "catalog.refused": (
        "Sorry, I can only help with questions about public services, for example "
        '"KTP requirements" or "SKCK fee".'
    ),
    "case.others": "Other situations: choose below, or see them all at {url}",
    "case.choose": "The answer for {name} depends on your situation. Choose one:",
    "case.others_no_url": "Other situations: choose below.",
    "page.link": "More: {url}",
    # --- request status -----------------------------------------------------------------
    "next.needs_documents": (
        "Next step: complete the documents the officer's note asks for, then bring them to "
        "the service office and quote this application number."
    ),
    "next.ready": (
        "Next step: collect your document at the service office during working hours. "
        "Bring your application receipt and your ID card."
    ),
    "next.rejected": (
        "Next step: read the reason for the rejection in the officer's note. You can apply "
        "again once you have fixed it, or ask an officer directly."
    ),
    "tracking.format_hint": (
        "The format is: a service code (2–5 letters), the year, then 6 digits, e.g. {example}."
    ),
    "tracking.ask": "Could you tell me your application number?",
    "tracking.malformed": "Sorry, that application number is not in the right format.",
    "tracking.where": "You can find the number on your application receipt.",
    "tracking.nik": (
        "To keep your data safe, please do not send your NIK here. "
        "To check the status, just send the application number."
    ),
    "tracking.not_found": (
        "Sorry, no application with number {number} was found. Please check the number on "
        "your application receipt. If it is correct, you can ask an officer."
    ),
    "tracking.ask_officer": "Contact an officer",
    "request.heading": "Status of application {number}",
    "request.service": "Service: {name}",
    "request.status": "Status: {label}",
    "request.submitted": "Submitted: {date}",
    "request.updated": "Last updated: {date}",
    "request.note": "Officer's note: {note}",
    "redacted.nik": "[NIK hidden]",
    "redacted.phone": "[phone number hidden]",
    # --- handoff and complaints ---------------------------------------------------------
    "handoff.connected": "All right, we are connecting you with an officer.",
    "handoff.already_open": "An officer is already handling your conversation.",
    "handoff.replies_here": (
        "The officer will reply in this conversation; there is no need to send your message again."
    ),
    "handoff.failed": "Sorry, we cannot connect you with an officer right now.",
    "handoff.queue_position": "Your place in the queue: {position}.",
    "handoff.expected_wait": "Estimated waiting time: {wait}.",
    "complaint.forwarded": "Thank you, we have passed your complaint on to an officer.",
    "complaint.failed": (
        "Sorry, we could not pass your complaint on right now, so it has not been recorded yet."
    ),
    "complaint.lapor": "You can also file a complaint through SP4N-LAPOR! at lapor.go.id.",
    "complaint.details_intro": "So that we can follow it up quickly, please also send:",
    "complaint.detail.details": "what happened, briefly",
    "complaint.detail.location": "where it happened (address, village/kelurahan)",
    "complaint.detail.time": "when it happened (date and time)",
    "contact.office": "Please try again later, or contact the service office directly",
    "wait.under_minute": "less than 1 minute",
    "wait.about": "about {duration}",
    "wait.minute_one": "1 minute",
    "wait.minutes": "{n} minutes",
    "wait.hour_one": "1 hour",
    "wait.hours": "{n} hours",
    # --- language -----------------------------------------------------------------------
    "language.ask": "Which language would you like to use?",
    "language.confirm": "Sure, let's continue in English.",
    "verify.armed": (
        "To see the officer's note and your details, send the last 4 digits of the "
        "applicant's NIK as your next message."
    ),
    "verify.locked": "The details of this number are locked for 1 hour after too many wrong tries.",
    "verify.no_identity": "Other details can only be asked of an officer.",
    "complaint.heading": "Status of report {number}",
}
