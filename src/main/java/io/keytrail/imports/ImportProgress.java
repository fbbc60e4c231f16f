package io.keytrail.imports;

/**
 * Told after every batch of a big import, so that an interface can show progress (the CLI on
 * standard error). Never receives session contents.
 */
@FunctionalInterface
public interface ImportProgress {
    ImportProgress NONE = (done, total) -> {
    };

    /**
     * @param done  sessions handled so far (imported or failed)
     * @param total sessions in the input
     */
    void update(long done, long total);
}
