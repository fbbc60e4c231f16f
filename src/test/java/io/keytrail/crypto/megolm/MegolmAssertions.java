package io.keytrail.crypto.megolm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;

/** Asserts that an operation is refused with a {@link MegolmException} of the given reason. */
final class MegolmAssertions {
    private MegolmAssertions() {
    }

    static AbstractThrowableAssert<?, ?> assertRefused(Runnable operation, MegolmException.Reason reason) {
        return assertThatThrownBy(operation::run).isInstanceOf(MegolmException.class)
                .satisfies(e -> assertThat(((MegolmException) e).reason()).isEqualTo(reason));
    }
}
