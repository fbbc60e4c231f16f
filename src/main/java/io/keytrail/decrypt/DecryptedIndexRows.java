package io.keytrail.decrypt;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/** Decrypted message indexes, by session and index. */
public interface DecryptedIndexRows extends JpaRepository<DecryptedIndexRow, Long> {
    Optional<DecryptedIndexRow> findByAggregateIdAndMessageIndex(String aggregateId, long messageIndex);
}
