package org.alemcds.worklist;

/**
 * One line of a Bulk Data export: where it was read (for error messages), its resource type and id, the patient it
 * belongs to (null for resources outside the patient compartment, such as Medication) and its JSON text.
 */
record ExportRecord(String file, long line, String type, String id, String patientId, String json) {

    String where() {
        return file + ":" + line;
    }
}
