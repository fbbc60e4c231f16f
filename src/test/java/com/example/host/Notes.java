package com.example.host;

import org.springframework.data.jpa.repository.JpaRepository;

/** The host's own repository. */
public interface Notes extends JpaRepository<Note, Long> {
}
