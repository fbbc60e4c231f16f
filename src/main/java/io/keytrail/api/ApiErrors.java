package io.keytrail.api;

import io.keytrail.errors.RefusalException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;

/**
 * HTTP-level refusals (no body, wrong content type, wrong method, unknown path) in the same
 * {@code {"error":{"code","message"}}} shape as refused inputs, so a client reads one error format.
 */
@RestControllerAdvice
class ApiErrors {
    private final ObjectMapper mapper;

    ApiErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A refusal from any room (inputs, sessions, audit): its code decides the status. */
    @ExceptionHandler(RefusalException.class)
    ResponseEntity<ObjectNode> refused(RefusalException e) {
        ObjectNode body = mapper.createObjectNode();
        body.set("error", Outcomes.error(mapper, e));
        return ResponseEntity.status(e.code().httpStatus()).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ObjectNode> unreadable(HttpMessageNotReadableException e) {
        return error(HttpStatus.BAD_REQUEST, "the request body is missing or unreadable; send one JSON input object");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ObjectNode> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + e.getContentType()
                + " is not supported; send application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ObjectNode> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method " + e.getMethod() + " is not supported here; use "
                + e.getSupportedHttpMethods());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ObjectNode> noEndpoint(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "no endpoint " + e.getHttpMethod() + " /" + e.getResourcePath()
                + "; the API is POST /api/v1/inputs, POST /api/v1/decrypt, GET /api/v1/sessions/{room_id}/{session_id}");
    }

    private ResponseEntity<ObjectNode> error(HttpStatusCode status, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("code", RefusalCode.INVALID_INPUT.name()).put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
