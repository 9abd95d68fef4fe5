package dev.irsa.plan;

import java.util.List;
import java.util.Optional;

/** Prints a plan like {@code terraform plan}. Pure. */
final class PlanRenderer {
    private PlanRenderer() {
    }

    static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        boolean any = false;
        for (Change change : plan.changes()) {
            String header = header(plan.mode(), change);
            if (header == null) {
                continue;
            }
            if (!any) {
                out.append(plan.mode() == Plan.Mode.DESTROY
                        ? "irsa will destroy the following resources of stack \"" + plan.stack() + "\":\n\n"
                        : "irsa will perform the following actions on stack \"" + plan.stack() + "\":\n\n");
                any = true;
            }
            out.append("  # ").append(change.id()).append(' ').append(header).append('\n');
            if (change.action() == Action.NO_OP) {
                out.append('\n');
                continue;
            }
            out.append("  ").append(change.action().symbol()).append(' ').append(change.id()).append('\n');
            List<FieldDiff> diffs = change.diffs();
            int width = diffs.stream().mapToInt(d -> d.name().length()).max().orElse(0);
            for (FieldDiff diff : diffs) {
                out.append("      ").append(symbol(diff)).append(' ')
                        .append(pad(diff.name(), width)).append(" = ").append(value(diff)).append('\n');
            }
            out.append('\n');
        }
        if (!plan.notes().isEmpty()) {
            out.append("Notes:\n");
            plan.notes().forEach(note -> out.append("  - ").append(note).append('\n'));
            out.append('\n');
        }
        return out.append(plan.summary()).append('\n').toString();
    }

    /** The words after the id, or null for a change that is not shown (up to date, already gone). */
    private static String header(Plan.Mode mode, Change change) {
        return switch (change.action()) {
            case CREATE -> "will be created";
            case UPDATE -> change.adopt() ? "will be adopted and updated in-place" : "will be updated in-place";
            case DELETE -> "will be destroyed";
            case REFUSE -> "exists but is not managed by irsa: refusing to change it";
            case NO_OP -> change.observed() == Presence.FOREIGN || change.observed() == Presence.EXTERNAL
                    ? "is not managed by irsa: left untouched"
                    // Destroying, an owned object is a no-op only when it must stay (Resource#keepOnDestroy).
                    : mode == Plan.Mode.DESTROY && change.observed() == Presence.OWNED ? "will be " + change.reason() : null;
        };
    }

    private static String symbol(FieldDiff diff) {
        if (diff.before().isPresent() && diff.after().isPresent()) {
            return "~";
        }
        return diff.after().isPresent() ? "+" : "-";
    }

    private static String value(FieldDiff diff) {
        Optional<FieldValue> before = diff.before();
        Optional<FieldValue> after = diff.after();
        if (before.isPresent() && after.isPresent()) {
            // Like Terraform: a changed secret shows neither side, not even "(sensitive value) -> ...".
            if (before.get() instanceof FieldValue.Sensitive || after.get() instanceof FieldValue.Sensitive) {
                return "(sensitive value)";
            }
            return before.get().render() + " -> " + after.get().render();
        }
        return after.or(() -> before).map(FieldValue::render).orElse("null");
    }

    private static String pad(String name, int width) {
        return name + " ".repeat(width - name.length());
    }
}
