package org.alemcds.playground;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class PlaygroundConfiguration implements WebMvcConfigurer {

    @Bean
    SamplePatients samplePatients(ObjectMapper mapper) {
        return SamplePatients.fromClasspath(mapper);
    }

    /** /playground and /playground/ open the page (static/playground/index.html). */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/playground", "/playground/");
        registry.addViewController("/playground/").setViewName("forward:/playground/index.html");
    }
}
