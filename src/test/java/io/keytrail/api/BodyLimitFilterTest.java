package io.keytrail.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/** Large bodies (imports) are read a bounded number at a time; the rest are told to come back. */
class BodyLimitFilterTest {
    private static MockHttpServletRequest inputs(int bytes) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/inputs");
        request.setContent(new byte[bytes]);
        return request;
    }

    @Test
    void aLargeBodyBeyondTheAllowedNumberAtOnce_is503Unavailable_andSmallOnesStillPass() throws Exception {
        BodyLimitFilter filter = new BodyLimitFilter(new HttpLimits(DataSize.ofBytes(100), DataSize.ofBytes(1000), 10, 1));
        List<Integer> inner = new ArrayList<>();
        MockHttpServletResponse second = new MockHttpServletResponse();
        MockHttpServletResponse small = new MockHttpServletResponse();

        filter.doFilter(inputs(500), new MockHttpServletResponse(), (request, response) -> {
            filter.doFilter(inputs(500), second, (r, s) -> inner.add(500));
            filter.doFilter(inputs(50), small, (r, s) -> inner.add(50));
        });

        assertThat(second.getStatus()).isEqualTo(503);
        assertThat(second.getContentAsString()).contains("\"UNAVAILABLE\"", "large-bodies-at-once");
        assertThat(inner).containsExactly(50);

        MockHttpServletResponse after = new MockHttpServletResponse();
        filter.doFilter(inputs(500), after, (r, s) -> inner.add(500));
        assertThat(inner).containsExactly(50, 500);
    }

    @Test
    void aDeclaredLengthOverTheLimit_is413_withoutCallingTheChain() throws Exception {
        BodyLimitFilter filter = new BodyLimitFilter(new HttpLimits(DataSize.ofBytes(100), DataSize.ofBytes(1000), 10, 1));
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockHttpServletRequest decrypt = new MockHttpServletRequest("POST", "/api/v1/decrypt");
        decrypt.setContent(new byte[101]);
        List<String> called = new ArrayList<>();

        filter.doFilter(decrypt, response, (r, s) -> called.add("chain"));

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("\"TOO_LARGE\"");
        assertThat(called).isEmpty();
    }
}
