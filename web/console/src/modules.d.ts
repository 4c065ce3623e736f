// bpmn.io packages that publish no types: the modules the designer imports.
declare module 'bpmn-js-properties-panel';
declare module 'bpmn-js-element-templates';
declare module '@bpmn-io/element-template-chooser';
declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform';
