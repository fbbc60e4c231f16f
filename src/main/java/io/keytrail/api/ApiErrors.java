package io.keytrail.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;
import io.keytrail.errors.RefusalException;

/**
 * Every error a controller or Spring MVC raises, in the one {@code {"error":{"code","message"}}}
 * shape: refusals with their code's status, Spring's own request errors (no body, wrong content
 * type, method or path, missing parameter) as 4xx, and anything else as 500 {@code INTERNAL_ERROR}
 * whose message names nothing of the internals (no SQL, no class, no stack trace). The content type
 * is set on every answer, so no {@code Accept} header can turn an error into another error.
 */
@RestControllerAdvice
class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
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

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ObjectNode> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(HttpStatus.NOT_ACCEPTABLE, "this endpoint answers " + e.getSupportedMediaTypes()
                + "; accept one of them");
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

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ObjectNode> missingParameter(MissingServletRequestParameterException e) {
        return error(HttpStatus.BAD_REQUEST, "the query parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ObjectNode> typeMismatch(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "the parameter " + e.getName() + " has the wrong form");
    }

    /**
     * Spring MVC's other request errors carry their own 4xx status (their details stay in the log);
     * anything else is a bug, not bad input: said loudly in the log and with nothing of it in the answer.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ObjectNode> other(Exception e) {
        if (e instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
            log.debug("request refused by Spring MVC", e);
            return error(response.getStatusCode(), JsonErrorReportValve.messageOf(response.getStatusCode().value()));
        }
        log.error("request failed", e);
        return ResponseEntity.status(500).contentType(MediaType.APPLICATION_JSON).body(ErrorBodies.body(
                RefusalCode.INTERNAL_ERROR, "internal error: the request could not be processed; the service log"
                        + " has the details"));
    }

    private ResponseEntity<ObjectNode> error(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.body(ErrorBodies.codeOf(status.value()), message));
    }
}
