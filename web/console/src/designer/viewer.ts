// A read-only diagram (bpmn-js' NavigatedViewer: pan and zoom, no editing) for an old version.
// Its own chunk: about a tenth of the modeller.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './designer.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

export async function showDiagram(canvas: HTMLElement, xml: string): Promise<NavigatedViewer> {
  const viewer = new NavigatedViewer({ container: canvas });
  await viewer.importXML(xml);
  viewer.get<{ zoom(to: string): void }>('canvas').zoom('fit-viewport');
  return viewer;
}
