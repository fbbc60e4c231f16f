package io.keytrail.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keytrail.errors.RefusalCode;

/**
 * Replaces Spring Boot's error page ({@code {"timestamp",…}} or HTML): whatever the servlet container
 * forwards here (an error status from a filter or Tomcat, an exception no handler caught) is answered
 * in the one error shape, and nothing of the exception is shown. Asked for directly, {@code /error} is
 * just another unknown path.
 */
@RestController
class ErrorPage implements ErrorController {
    private static final Logger log = LoggerFactory.getLogger(ErrorPage.class);

    @RequestMapping("/error")
    ResponseEntity<ObjectNode> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(status instanceof Integer code)) {
            return ResponseEntity.status(404).contentType(MediaType.APPLICATION_JSON)
                    .body(ErrorBodies.body(RefusalCode.INVALID_INPUT, "no endpoint /error; the API is under /api/v1"));
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        int answered = code;
        if (exception instanceof Throwable t && answered >= 500) {
            log.error("request {} failed", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), t);
        }
        RefusalCode refusal = ErrorBodies.codeOf(answered);
        return ResponseEntity.status(answered).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.body(refusal, JsonErrorReportValve.messageOf(answered)));
    }
}
