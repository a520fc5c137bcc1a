package org.alemcds.worklist;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.List;
import org.alemcds.worklist.WorklistRow.CardLine;
import org.alemcds.worklist.WorklistRow.OverdueItem;
import org.alemcds.worklist.WorklistRow.Status;

/**
 * The worklist as a self-contained, printable page for a clinic nurse: one table per status, most urgent first
 * (signals, then overdue tests, then patients on schedule); patients whose window has ended are only counted.
 */
final class WorklistPage {

    private WorklistPage() {}

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: #111; margin: 24px; }
            h1 { font-size: 22px; margin: 0 0 4px; }
            h2 { font-size: 17px; margin: 24px 0 6px; }
            p.meta { color: #444; margin: 0 0 12px; }
            table { border-collapse: collapse; width: 100%; }
            th, td { border: 1px solid #bbb; padding: 5px 7px; text-align: left; vertical-align: top; }
            th { background: #eee; }
            tr { page-break-inside: avoid; }
            .signal h2 { color: #a00000; }
            .critical { color: #a00000; font-weight: 700; }
            .warning { color: #8a4b00; font-weight: 600; }
            .info { color: #333; }
            .days { font-weight: 700; }
            .done { width: 3.5em; }
            .date { white-space: nowrap; }
            ul { margin: 0; padding-left: 1.1em; }
            .none { color: #666; }
            @media print { body { margin: 0; font-size: 11px; } @page { size: A4 landscape; margin: 12mm; } thead { display: table-header-group; } }
            """;

    static void write(List<WorklistRow> rows, WorklistFormat.Run run, Writer out) throws IOException {
        long ended = rows.stream().filter(r -> r.status() == Status.ENDED).count();
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Alemtuzumab monitoring worklist ").append(run.asOf()).append("</title><style>")
                .append(STYLE).append("</style></head><body>\n")
                .append("<h1>Alemtuzumab monitoring worklist</h1>\n<p class=\"meta\">As of <b>").append(run.asOf())
                .append("</b> · profile ").append(escape(run.profile())).append(" · ")
                .append(count(rows, Status.SIGNAL)).append(" with a signal, ")
                .append(count(rows, Status.OVERDUE)).append(" overdue, ")
                .append(count(rows, Status.ON_SCHEDULE)).append(" on schedule")
                .append(" · ").append(run.treated()).append(" treated among ").append(run.patients()).append(" patients")
                .append(ended == 0 ? "" : " (" + ended + " past the 48-month window, not listed)")
                .append(run.skippedRecords() == 0 ? "" : " · " + run.skippedRecords() + " unreadable records skipped")
                .append(".</p>\n");
        section(html, rows, Status.SIGNAL, "Signals: results that need action", "signal");
        section(html, rows, Status.OVERDUE, "Overdue monitoring tests", "overdue");
        section(html, rows, Status.ON_SCHEDULE, "On schedule", "on-schedule");
        html.append("<p class=\"meta\">Monthly: CBC with differential, serum creatinine, urinalysis with microscopy; TSH every 3 months;"
                + " until 48 months after the last infusion. Each row is what the patient-view service says for the patient's chart.</p>\n");
        html.append("</body></html>\n");
        out.write(html.toString());
    }

    private static long count(List<WorklistRow> rows, Status status) {
        return rows.stream().filter(r -> r.status() == status).count();
    }

    private static void section(StringBuilder html, List<WorklistRow> rows, Status status, String title, String cssClass) {
        List<WorklistRow> these = rows.stream().filter(r -> r.status() == status).toList();
        if (these.isEmpty()) {
            return;
        }
        html.append("<section class=\"").append(cssClass).append("\"><h2>").append(title).append(" (").append(these.size())
                .append(")</h2>\n<table><thead><tr><th class=\"done\">Done</th><th>Patient</th><th>Signals</th>")
                .append("<th>Overdue (last result, days overdue)</th><th>Next due</th><th>Other reminders</th>")
                .append("<th>Last infusion</th><th>Monitoring until</th></tr></thead><tbody>\n");
        for (WorklistRow row : these) {
            html.append("<tr><td class=\"done\">☐</td><td>").append(escape(row.patientId())).append("</td><td>");
            cards(html, row.signals());
            html.append("</td><td>");
            overdue(html, row.overdue());
            html.append("</td><td class=\"date\">").append(date(row.nextDue())).append("</td><td>");
            cards(html, row.reminders());
            html.append("</td><td class=\"date\">").append(date(row.lastInfusion())).append("</td><td class=\"date\">")
                    .append(date(row.monitoringEnd())).append("</td></tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    private static void cards(StringBuilder html, List<CardLine> cards) {
        if (cards.isEmpty()) {
            html.append("<span class=\"none\">—</span>");
            return;
        }
        html.append("<ul>");
        for (CardLine card : cards) {
            html.append("<li class=\"").append(escape(card.indicator())).append("\">").append(escape(card.summary())).append("</li>");
        }
        html.append("</ul>");
    }

    private static void overdue(StringBuilder html, List<OverdueItem> items) {
        if (items.isEmpty()) {
            html.append("<span class=\"none\">—</span>");
            return;
        }
        html.append("<ul>");
        for (OverdueItem item : items) {
            html.append("<li><b>").append(escape(item.item())).append("</b> (last ")
                    .append(item.lastDate() == null ? "none on record" : item.lastDate().toString()).append(")");
            if (item.daysOverdue() != null && item.daysOverdue() > 0) {
                html.append(" <span class=\"days\">").append(item.daysOverdue()).append(" days overdue</span>");
            }
            html.append("</li>");
        }
        html.append("</ul>");
    }

    private static String date(LocalDate date) {
        return date == null ? "" : date.toString();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
