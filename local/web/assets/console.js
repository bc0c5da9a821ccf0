var oe=globalThis,ae=oe.ShadowRoot&&(oe.ShadyCSS===void 0||oe.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Ce=Symbol(),it=new WeakMap,F=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==Ce)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(ae&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=it.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&it.set(t,e))}return e}toString(){return this.cssText}},ot=r=>new F(typeof r=="string"?r:r+"",void 0,Ce),T=(r,...e)=>{let t=r.length===1?r[0]:e.reduce((s,n,i)=>s+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(n)+r[i+1],r[0]);return new F(t,r,Ce)},at=(r,e)=>{if(ae)r.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),n=oe.litNonce;n!==void 0&&s.setAttribute("nonce",n),s.textContent=t.cssText,r.appendChild(s)}},Ue=ae?r=>r:r=>r instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return ot(t)})(r):r;var{is:nr,defineProperty:ir,getOwnPropertyDescriptor:or,getOwnPropertyNames:ar,getOwnPropertySymbols:lr,getPrototypeOf:cr}=Object,le=globalThis,lt=le.trustedTypes,dr=lt?lt.emptyScript:"",ur=le.reactiveElementPolyfillSupport,K=(r,e)=>r,Re={toAttribute(r,e){switch(e){case Boolean:r=r?dr:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,e){let t=r;switch(e){case Boolean:t=r!==null;break;case Number:t=r===null?null:Number(r);break;case Object:case Array:try{t=JSON.parse(r)}catch{t=null}}return t}},dt=(r,e)=>!nr(r,e),ct={attribute:!0,type:String,converter:Re,reflect:!1,useDefault:!1,hasChanged:dt};Symbol.metadata??=Symbol("metadata"),le.litPropertyMetadata??=new WeakMap;var I=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=ct){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),n=this.getPropertyDescriptor(e,s,t);n!==void 0&&ir(this.prototype,e,n)}}static getPropertyDescriptor(e,t,s){let{get:n,set:i}=or(this.prototype,e)??{get(){return this[t]},set(o){this[t]=o}};return{get:n,set(o){let a=n?.call(this);i?.call(this,o),this.requestUpdate(e,a,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??ct}static _$Ei(){if(this.hasOwnProperty(K("elementProperties")))return;let e=cr(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(K("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(K("properties"))){let t=this.properties,s=[...ar(t),...lr(t)];for(let n of s)this.createProperty(n,t[n])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,n]of t)this.elementProperties.set(s,n)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let n=this._$Eu(t,s);n!==void 0&&this._$Eh.set(n,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let n of s)t.unshift(Ue(n))}else e!==void 0&&t.push(Ue(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return at(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),n=this.constructor._$Eu(e,s);if(n!==void 0&&s.reflect===!0){let i=(s.converter?.toAttribute!==void 0?s.converter:Re).toAttribute(t,s.type);this._$Em=e,i==null?this.removeAttribute(n):this.setAttribute(n,i),this._$Em=null}}_$AK(e,t){let s=this.constructor,n=s._$Eh.get(e);if(n!==void 0&&this._$Em!==n){let i=s.getPropertyOptions(n),o=typeof i.converter=="function"?{fromAttribute:i.converter}:i.converter?.fromAttribute!==void 0?i.converter:Re;this._$Em=n;let a=o.fromAttribute(t,i.type);this[n]=a??this._$Ej?.get(n)??a,this._$Em=null}}requestUpdate(e,t,s,n=!1,i){if(e!==void 0){let o=this.constructor;if(n===!1&&(i=this[e]),s??=o.getPropertyOptions(e),!((s.hasChanged??dt)(i,t)||s.useDefault&&s.reflect&&i===this._$Ej?.get(e)&&!this.hasAttribute(o._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:n,wrapped:i},o){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,o??t??this[e]),i!==!0||o!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),n===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[n,i]of this._$Ep)this[n]=i;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[n,i]of s){let{wrapped:o}=i,a=this[n];o!==!0||this._$AL.has(n)||a===void 0||this.C(n,void 0,i,a)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};I.elementStyles=[],I.shadowRootOptions={mode:"open"},I[K("elementProperties")]=new Map,I[K("finalized")]=new Map,ur?.({ReactiveElement:I}),(le.reactiveElementVersions??=[]).push("2.1.2");var He=globalThis,ut=r=>r,ce=He.trustedTypes,ht=ce?ce.createPolicy("lit-html",{createHTML:r=>r}):void 0,yt="$lit$",C=`lit$${Math.random().toFixed(9).slice(2)}$`,vt="?"+C,hr=`<${vt}>`,L=document,Q=()=>L.createComment(""),Y=r=>r===null||typeof r!="object"&&typeof r!="function",je=Array.isArray,pr=r=>je(r)||typeof r?.[Symbol.iterator]=="function",Pe=`[ 	
\f\r]`,W=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,pt=/-->/g,ft=/>/g,M=RegExp(`>|${Pe}(?:([^\\s"'>=/]+)(${Pe}*=${Pe}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),mt=/'/g,gt=/"/g,$t=/^(?:script|style|textarea|title)$/i,ze=r=>(e,...t)=>({_$litType$:r,strings:e,values:t}),c=ze(1),Kr=ze(2),Wr=ze(3),O=Symbol.for("lit-noChange"),h=Symbol.for("lit-nothing"),bt=new WeakMap,D=L.createTreeWalker(L,129);function wt(r,e){if(!je(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return ht!==void 0?ht.createHTML(e):e}var fr=(r,e)=>{let t=r.length-1,s=[],n,i=e===2?"<svg>":e===3?"<math>":"",o=W;for(let a=0;a<t;a++){let l=r[a],d,m,u=-1,f=0;for(;f<l.length&&(o.lastIndex=f,m=o.exec(l),m!==null);)f=o.lastIndex,o===W?m[1]==="!--"?o=pt:m[1]!==void 0?o=ft:m[2]!==void 0?($t.test(m[2])&&(n=RegExp("</"+m[2],"g")),o=M):m[3]!==void 0&&(o=M):o===M?m[0]===">"?(o=n??W,u=-1):m[1]===void 0?u=-2:(u=o.lastIndex-m[2].length,d=m[1],o=m[3]===void 0?M:m[3]==='"'?gt:mt):o===gt||o===mt?o=M:o===pt||o===ft?o=W:(o=M,n=void 0);let p=o===M&&r[a+1].startsWith("/>")?" ":"";i+=o===W?l+hr:u>=0?(s.push(d),l.slice(0,u)+yt+l.slice(u)+C+p):l+C+(u===-2?a:p)}return[wt(r,i+(r[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},J=class r{constructor({strings:e,_$litType$:t},s){let n;this.parts=[];let i=0,o=0,a=e.length-1,l=this.parts,[d,m]=fr(e,t);if(this.el=r.createElement(d,s),D.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(n=D.nextNode())!==null&&l.length<a;){if(n.nodeType===1){if(n.hasAttributes())for(let u of n.getAttributeNames())if(u.endsWith(yt)){let f=m[o++],p=n.getAttribute(u).split(C),w=/([.?@])?(.*)/.exec(f);l.push({type:1,index:i,name:w[2],strings:p,ctor:w[1]==="."?Me:w[1]==="?"?De:w[1]==="@"?Le:q}),n.removeAttribute(u)}else u.startsWith(C)&&(l.push({type:6,index:i}),n.removeAttribute(u));if($t.test(n.tagName)){let u=n.textContent.split(C),f=u.length-1;if(f>0){n.textContent=ce?ce.emptyScript:"";for(let p=0;p<f;p++)n.append(u[p],Q()),D.nextNode(),l.push({type:2,index:++i});n.append(u[f],Q())}}}else if(n.nodeType===8)if(n.data===vt)l.push({type:2,index:i});else{let u=-1;for(;(u=n.data.indexOf(C,u+1))!==-1;)l.push({type:7,index:i}),u+=C.length-1}i++}}static createElement(e,t){let s=L.createElement("template");return s.innerHTML=e,s}};function z(r,e,t=r,s){if(e===O)return e;let n=s!==void 0?t._$Co?.[s]:t._$Cl,i=Y(e)?void 0:e._$litDirective$;return n?.constructor!==i&&(n?._$AO?.(!1),i===void 0?n=void 0:(n=new i(r),n._$AT(r,t,s)),s!==void 0?(t._$Co??=[])[s]=n:t._$Cl=n),n!==void 0&&(e=z(r,n._$AS(r,e.values),n,s)),e}var Ne=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,n=(e?.creationScope??L).importNode(t,!0);D.currentNode=n;let i=D.nextNode(),o=0,a=0,l=s[0];for(;l!==void 0;){if(o===l.index){let d;l.type===2?d=new G(i,i.nextSibling,this,e):l.type===1?d=new l.ctor(i,l.name,l.strings,this,e):l.type===6&&(d=new Oe(i,this,e)),this._$AV.push(d),l=s[++a]}o!==l?.index&&(i=D.nextNode(),o++)}return D.currentNode=L,n}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},G=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,n){this.type=2,this._$AH=h,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=n,this._$Cv=n?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=z(this,e,t),Y(e)?e===h||e==null||e===""?(this._$AH!==h&&this._$AR(),this._$AH=h):e!==this._$AH&&e!==O&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):pr(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==h&&Y(this._$AH)?this._$AA.nextSibling.data=e:this.T(L.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,n=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=J.createElement(wt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===n)this._$AH.p(t);else{let i=new Ne(n,this),o=i.u(this.options);i.p(t),this.T(o),this._$AH=i}}_$AC(e){let t=bt.get(e.strings);return t===void 0&&bt.set(e.strings,t=new J(e)),t}k(e){je(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,n=0;for(let i of e)n===t.length?t.push(s=new r(this.O(Q()),this.O(Q()),this,this.options)):s=t[n],s._$AI(i),n++;n<t.length&&(this._$AR(s&&s._$AB.nextSibling,n),t.length=n)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=ut(e).nextSibling;ut(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},q=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,n,i){this.type=1,this._$AH=h,this._$AN=void 0,this.element=e,this.name=t,this._$AM=n,this.options=i,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=h}_$AI(e,t=this,s,n){let i=this.strings,o=!1;if(i===void 0)e=z(this,e,t,0),o=!Y(e)||e!==this._$AH&&e!==O,o&&(this._$AH=e);else{let a=e,l,d;for(e=i[0],l=0;l<i.length-1;l++)d=z(this,a[s+l],t,l),d===O&&(d=this._$AH[l]),o||=!Y(d)||d!==this._$AH[l],d===h?e=h:e!==h&&(e+=(d??"")+i[l+1]),this._$AH[l]=d}o&&!n&&this.j(e)}j(e){e===h?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},Me=class extends q{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===h?void 0:e}},De=class extends q{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==h)}},Le=class extends q{constructor(e,t,s,n,i){super(e,t,s,n,i),this.type=5}_$AI(e,t=this){if((e=z(this,e,t,0)??h)===O)return;let s=this._$AH,n=e===h&&s!==h||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,i=e!==h&&(s===h||n);n&&this.element.removeEventListener(this.name,this,s),i&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},Oe=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){z(this,e)}};var mr=He.litHtmlPolyfillSupport;mr?.(J,G),(He.litHtmlVersions??=[]).push("3.3.3");var Et=(r,e,t)=>{let s=t?.renderBefore??e,n=s._$litPart$;if(n===void 0){let i=t?.renderBefore??null;s._$litPart$=n=new G(e.insertBefore(Q(),i),i,void 0,t??{})}return n._$AI(r),n};var qe=globalThis,v=class extends I{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=Et(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return O}};v._$litElement$=!0,v.finalized=!0,qe.litElementHydrateSupport?.({LitElement:v});var gr=qe.litElementPolyfillSupport;gr?.({LitElement:v});(qe.litElementVersions??=[]).push("4.2.2");var U=T`
  :host {
    --ui-accent: #1d4ed8;
    --ui-accent-text: #ffffff;
    --ui-text: #1f2937;
    --ui-muted: #4b5563;
    --ui-border: #d1d5db;
    --ui-surface: #ffffff;
    --ui-subtle: #f3f4f6;
    --ui-danger: #b91c1c;
    --ui-success: #166534;
    --ui-warning: #92400e;
    --ui-radius: 6px;
    --ui-focus: 0 0 0 3px #93c5fd;
    display: block;
    color: var(--ui-text);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--ui-border);
    background: var(--ui-surface);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.8em;
  }
  button.primary {
    background: var(--ui-accent);
    border-color: var(--ui-accent);
    color: var(--ui-accent-text);
  }
  button.danger {
    color: var(--ui-danger);
    border-color: currentColor;
  }
  button.danger.primary {
    background: var(--ui-danger);
    border-color: var(--ui-danger);
    color: #fff;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--ui-focus);
  }
  input,
  select,
  textarea {
    border: 1px solid var(--ui-border);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.5em;
    background: var(--ui-surface);
  }
  [aria-invalid="true"] {
    border-color: var(--ui-danger);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .error {
    color: var(--ui-danger);
  }
  .success {
    color: var(--ui-success);
  }
  .muted {
    color: var(--ui-muted);
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 999px;
    background: var(--ui-subtle);
    font-size: 0.9em;
    white-space: nowrap;
  }
  .badge.pending {
    background: #dbeafe;
    color: #1e3a8a;
  }
  .badge.accepted {
    background: #dcfce7;
    color: #14532d;
  }
  .badge.canceled {
    background: #e5e7eb;
    color: #374151;
  }
  .badge.expired {
    background: #fef3c7;
    color: #78350f;
  }
  .badge.problem {
    background: #fee2e2;
    color: #7f1d1d;
  }
  dialog {
    border: 1px solid var(--ui-border);
    border-radius: calc(var(--ui-radius) * 2);
    padding: 1.25rem 1.5rem;
    max-width: min(36rem, 92vw);
    width: 100%;
    color: var(--ui-text);
    background: var(--ui-surface);
  }
  dialog::backdrop {
    background: rgb(17 24 39 / 45%);
  }
  dialog h2 {
    margin-top: 0;
    font-size: 1.2rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
    margin-top: 1rem;
  }
`;var de=class extends v{static{this.properties={question:{state:!0}}}static{this.styles=U}#e=null;#r=null;constructor(){super(),this.question={title:"",message:"",confirm:"OK",dismiss:"Cancel"}}get#t(){return this.renderRoot.querySelector("dialog")}async ask(e,t){return this.#e?.(!1),this.question=e,this.#r=t,await this.updateComplete,this.#t.returnValue="",this.#t.showModal(),this.renderRoot.querySelector("#dismiss").focus(),new Promise(s=>this.#e=s)}firstUpdated(e){this.#t.addEventListener("close",()=>{let t=this.#t.returnValue==="confirm",s=this.#e;this.#e=null,this.#r?.isConnected&&this.#r.focus(),this.#r=null,s?.(t)})}#s(e){this.#t.close(e)}render(){return c`
      <dialog role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">${this.question.title}</h2>
        <p id="confirm-message">${this.question.message}</p>
        <div class="actions">
          <button id="dismiss" type="button" @click=${()=>this.#s("dismiss")}>${this.question.dismiss}</button>
          <button id="confirm" type="button" class="danger primary" @click=${()=>this.#s("confirm")}>
            ${this.question.confirm}
          </button>
        </div>
      </dialog>
    `}};var br=/\{[^{}]+\}/g,yr=()=>typeof process=="object"&&Number.parseInt(process?.versions?.node?.substring(0,2))>=18&&process.versions.undici;function vr(){return Math.random().toString(36).slice(2,11)}function Tt(r){let{baseUrl:e="",Request:t=globalThis.Request,fetch:s=globalThis.fetch,querySerializer:n,bodySerializer:i,pathSerializer:o,headers:a,requestInitExt:l=void 0,...d}={...r};l=yr()?l:void 0,e=xt(e);let m=[];async function u(f,p){let{baseUrl:w,fetch:Xe=s,Request:Ze=t,headers:et,params:j={},parseAs:te="json",querySerializer:re,bodySerializer:tt=i??wr,pathSerializer:er,body:rt,middleware:tr=[],...xe}=p||{},Te=e;w&&(Te=xt(w)??e);let Ie=typeof n=="function"?n:At(n);re&&(Ie=typeof re=="function"?re:At({...typeof n=="object"?n:{},...re}));let st=er||o||$r,ke=rt===void 0?void 0:tt(rt,St(a,et,j.header)),rr=St(ke===void 0||ke instanceof FormData?{}:{"Content-Type":"application/json"},a,et,j.header),k=[...m,...tr],sr={redirect:"follow",...d,...xe,body:ke,headers:rr},se,ne,_=new Ze(Er(f,{baseUrl:Te,params:j,querySerializer:Ie,pathSerializer:st}),sr),g;for(let y in xe)y in _||(_[y]=xe[y]);if(k.length){se=vr(),ne=Object.freeze({baseUrl:Te,fetch:Xe,parseAs:te,querySerializer:Ie,bodySerializer:tt,pathSerializer:st});for(let y of k)if(y&&typeof y=="object"&&typeof y.onRequest=="function"){let b=await y.onRequest({request:_,schemaPath:f,params:j,options:ne,id:se});if(b)if(b instanceof Ze)_=b;else if(b instanceof Response){g=b;break}else throw new Error("onRequest: must return new Request() or Response() when modifying the request")}}if(!g){try{g=await Xe(_,l)}catch(y){let b=y;if(k.length)for(let N=k.length-1;N>=0;N--){let ie=k[N];if(ie&&typeof ie=="object"&&typeof ie.onError=="function"){let V=await ie.onError({request:_,error:b,schemaPath:f,params:j,options:ne,id:se});if(V){if(V instanceof Response){b=void 0,g=V;break}if(V instanceof Error){b=V;continue}throw new Error("onError: must return new Response() or instance of Error")}}}if(b)throw b}if(k.length)for(let y=k.length-1;y>=0;y--){let b=k[y];if(b&&typeof b=="object"&&typeof b.onResponse=="function"){let N=await b.onResponse({request:_,response:g,schemaPath:f,params:j,options:ne,id:se});if(N){if(!(N instanceof Response))throw new Error("onResponse: must return new Response() when modifying the response");g=N}}}}let nt=g.headers.get("Content-Length");if(g.status===204||_.method==="HEAD"||nt==="0"&&!g.headers.get("Transfer-Encoding")?.includes("chunked"))return g.ok?{data:void 0,response:g}:{error:void 0,response:g};if(g.ok)return{data:await(async()=>{if(te==="stream")return g.body;if(te==="json"&&!nt){let b=await g.text();return b?JSON.parse(b):void 0}return await g[te]()})(),response:g};let _e=await g.text();try{_e=JSON.parse(_e)}catch{}return{error:_e,response:g}}return{request(f,p,w){return u(p,{...w,method:f.toUpperCase()})},GET(f,p){return u(f,{...p,method:"GET"})},PUT(f,p){return u(f,{...p,method:"PUT"})},POST(f,p){return u(f,{...p,method:"POST"})},DELETE(f,p){return u(f,{...p,method:"DELETE"})},OPTIONS(f,p){return u(f,{...p,method:"OPTIONS"})},HEAD(f,p){return u(f,{...p,method:"HEAD"})},PATCH(f,p){return u(f,{...p,method:"PATCH"})},TRACE(f,p){return u(f,{...p,method:"TRACE"})},use(...f){for(let p of f)if(p){if(typeof p!="object"||!("onRequest"in p||"onResponse"in p||"onError"in p))throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");m.push(p)}},eject(...f){for(let p of f){let w=m.indexOf(p);w!==-1&&m.splice(w,1)}}}}function ue(r,e,t){if(e==null)return"";if(typeof e=="object")throw new Error("Deeply-nested arrays/objects aren’t supported. Provide your own `querySerializer()` to handle these.");return`${r}=${t?.allowReserved===!0?e:encodeURIComponent(e)}`}function It(r,e,t){if(!e||typeof e!="object")return"";let s=[],n={simple:",",label:".",matrix:";"}[t.style]||"&";if(t.style!=="deepObject"&&t.explode===!1){for(let a in e)s.push(a,t.allowReserved===!0?e[a]:encodeURIComponent(e[a]));let o=s.join(",");switch(t.style){case"form":return`${r}=${o}`;case"label":return`.${o}`;case"matrix":return`;${r}=${o}`;default:return o}}for(let o in e){let a=t.style==="deepObject"?`${r}[${o}]`:o;s.push(ue(a,e[o],t))}let i=s.join(n);return t.style==="label"||t.style==="matrix"?`${n}${i}`:i}function kt(r,e,t){if(!Array.isArray(e))return"";if(t.explode===!1){let i={form:",",spaceDelimited:"%20",pipeDelimited:"|"}[t.style]||",",o=(t.allowReserved===!0?e:e.map(a=>encodeURIComponent(a))).join(i);switch(t.style){case"simple":return o;case"label":return`.${o}`;case"matrix":return`;${r}=${o}`;default:return`${r}=${o}`}}let s={simple:",",label:".",matrix:";"}[t.style]||"&",n=[];for(let i of e)t.style==="simple"||t.style==="label"?n.push(t.allowReserved===!0?i:encodeURIComponent(i)):n.push(ue(r,i,t));return t.style==="label"||t.style==="matrix"?`${s}${n.join(s)}`:n.join(s)}function At(r){return function(t){let s=[];if(t&&typeof t=="object")for(let n in t){let i=t[n];if(i!=null){if(Array.isArray(i)){if(i.length===0)continue;s.push(kt(n,i,{style:"form",explode:!0,...r?.array,allowReserved:r?.allowReserved||!1}));continue}if(typeof i=="object"){s.push(It(n,i,{style:"deepObject",explode:!0,...r?.object,allowReserved:r?.allowReserved||!1}));continue}s.push(ue(n,i,r))}}return s.join("&")}}function $r(r,e){let t=r;for(let s of r.match(br)??[]){let n=s.substring(1,s.length-1),i=!1,o="simple";if(n.endsWith("*")&&(i=!0,n=n.substring(0,n.length-1)),n.startsWith(".")?(o="label",n=n.substring(1)):n.startsWith(";")&&(o="matrix",n=n.substring(1)),!e||e[n]===void 0||e[n]===null)continue;let a=e[n];if(Array.isArray(a)){t=t.replace(s,kt(n,a,{style:o,explode:i}));continue}if(typeof a=="object"){t=t.replace(s,It(n,a,{style:o,explode:i}));continue}if(o==="matrix"){t=t.replace(s,`;${ue(n,a)}`);continue}t=t.replace(s,o==="label"?`.${encodeURIComponent(a)}`:encodeURIComponent(a))}return t}function wr(r,e){return r instanceof FormData?r:e&&(e.get instanceof Function?e.get("Content-Type")??e.get("content-type"):e["Content-Type"]??e["content-type"])==="application/x-www-form-urlencoded"?new URLSearchParams(r).toString():JSON.stringify(r)}function Er(r,e){let t=`${e.baseUrl}${r}`;e.params?.path&&(t=e.pathSerializer(t,e.params.path));let s=e.querySerializer(e.params.query??{});return s.startsWith("?")&&(s=s.substring(1)),s&&(t+=`?${s}`),t}function St(...r){let e=new Headers;for(let t of r){if(!t||typeof t!="object")continue;let s=t instanceof Headers?t.entries():Object.entries(t);for(let[n,i]of s)if(i===null)e.delete(n);else if(Array.isArray(i))for(let o of i)e.append(n,o);else i!==void 0&&e.set(n,i)}return e}function xt(r){return r.endsWith("/")?r.substring(0,r.length-1):r}var $=class r extends Error{name="UserInvitesError";status;code;errors;retryAfter;problem;constructor(e){super(e.message),this.status=e.status,this.code=e.code,this.errors=e.errors??[],this.retryAfter=e.retryAfter,this.problem=e.problem}static fromResponse(e,t){let s=Sr(e.headers.get("retry-after"));if(Ar(t)){let i=t.errors.map(o=>`${o.field}: ${o.message}`).join("; ");return new r({status:e.status,code:t.code,message:`${t.code} (${e.status}): ${t.detail}${i?` [${i}]`:""}`,errors:t.errors,retryAfter:s,problem:t})}let n=xr(e.status);return new r({status:e.status,code:n,message:`${n} (${e.status}): the answer was not a problem+json document`,retryAfter:s})}},E=class extends Error{name="UserInvitesNetworkError";attempts;constructor(e,t){super(e,{cause:t.cause}),this.attempts=t.attempts??1}};function Ar(r){if(typeof r!="object"||r===null)return!1;let e=r;return typeof e.code=="string"&&typeof e.status=="number"&&Array.isArray(e.errors)}function Sr(r){if(r===null||r.trim()==="")return;if(/^\d+$/.test(r.trim()))return Number(r.trim());let e=Date.parse(r);if(!Number.isNaN(e))return Math.max(0,Math.ceil((e-Date.now())/1e3))}function xr(r){switch(r){case 400:return"VALIDATION_FAILED";case 401:return"UNAUTHENTICATED";case 403:return"FORBIDDEN";case 404:return"NOT_FOUND";case 405:return"METHOD_NOT_ALLOWED";case 413:return"PAYLOAD_TOO_LARGE";case 429:return"RATE_LIMITED";case 502:case 503:case 504:return"UNAVAILABLE";default:return"INTERNAL"}}var Tr={CREATED_AT:"createdAt",UPDATED_AT:"updatedAt",EMAIL:"email",STATUS:"status"},Ir=["email","createdByUserId","acceptedByUserId","tenantId"],kr=new Set(["limit","offset","cursor","search","filter","order"]);function _t(r={}){let e=n=>{throw new TypeError(`userInvites: ${n} cannot be mapped onto the API's query (see the package README)`)};for(let n of Object.keys(r))kr.has(n)||e(n);let t={};if(r.limit!==void 0&&(t.limit=r.limit),r.offset!==void 0&&(t.offset=r.offset),r.cursor!==void 0&&(t.cursor=r.cursor),r.search!==void 0)if(typeof r.search=="string")t.search=r.search;else{for(let n of Object.keys(r.search))n!=="value"&&e(`search.${n}`);t.search=r.search.value}let s=r.filter??{};for(let[n,i]of Object.entries(s)){if(i===void 0)continue;(typeof i!="object"||i===null)&&e(`filter.${n}`);let o=Object.entries(i).filter(([,a])=>a!==void 0);if(n==="status"){o.length!==1&&e("filter.status with other than one of equalTo, valueIn");let[a,l]=o[0];a==="equalTo"?t.status=[l]:a==="valueIn"&&Array.isArray(l)&&l.length>0?t.status=[...l]:e(a==="valueIn"?"filter.status.valueIn that is empty or not a list":`filter.status.${a}`)}else Ir.includes(n)?((o.length!==1||o[0][0]!=="equalTo")&&e(`filter.${n}.${o.map(([a])=>a).join(",")||"(nothing)"}`),t[n]=String(o[0][1])):e(`filter.${n}`)}if(r.order!==void 0){for(let o of Object.keys(r.order))o!=="order"&&o!=="sort"&&e(`order.${o}`);let{order:n,sort:i}=r.order;i!==void 0&&(t.sort=Tr[i]??e(`order.sort ${String(i)}`)),n!==void 0&&(n!=="ASC"&&n!=="DESC"&&e(`order.order ${String(n)}`),t.order=n==="ASC"?"asc":"desc")}return t}function Ct(r){if(r===!1)return{maxAttempts:1,baseDelayMs:0,maxDelayMs:0,retryRateLimited:!1,maxRetryAfterSeconds:0};let e={maxAttempts:r?.maxAttempts??4,baseDelayMs:r?.baseDelayMs??200,maxDelayMs:r?.maxDelayMs??5e3,retryRateLimited:r?.retryRateLimited??!1,maxRetryAfterSeconds:r?.maxRetryAfterSeconds??60};if(!Number.isInteger(e.maxAttempts)||e.maxAttempts<1||e.maxAttempts>10)throw new TypeError("retry.maxAttempts must be a whole number from 1 to 10");if(!(e.baseDelayMs>=0)||!(e.maxDelayMs>=e.baseDelayMs))throw new TypeError("retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs");return e}function Ut(r,e,t=Math.random){let s=Math.min(r.maxDelayMs,r.baseDelayMs*2**(e-1));return Math.floor(t()*s)}function Rt(r,e){return new Promise((t,s)=>{if(e?.aborted){s(e.reason);return}let n=()=>{clearTimeout(i),s(e.reason)},i=setTimeout(()=>{e?.removeEventListener("abort",n),t()},r);e?.addEventListener("abort",n,{once:!0})})}var _r=new Set([502,503,504]),H=class{#e;#r;#t;constructor(e,t,s){this.#e=e,this.#r=t,this.#t=s}async sendUserInvites(e,t={}){let{signal:s}=t,n=Ct(t.retry??this.#t),i=t.idempotencyKey??Rr(),o=JSON.stringify(e);for(let a=1;;a++)try{let l=await this.#s(Cr(e),s);return await this.#n(s,()=>this.#e.POST("/user-invites",{body:e,bodySerializer:()=>o,params:{header:{"Idempotency-Key":i}},headers:{Authorization:l},signal:s??null}))}catch(l){if(s?.aborted)throw s.reason;let d=l instanceof E||l instanceof $&&(_r.has(l.status)||l.code==="IDEMPOTENCY_KEY_IN_PROGRESS"),m=l instanceof $&&l.status===429&&n.retryRateLimited&&(l.retryAfter??0)<=n.maxRetryAfterSeconds;if(a>=n.maxAttempts||!(d||m))throw l instanceof E&&a>1?new E(`${l.message} (after ${a} attempts)`,{cause:l.cause,attempts:a}):l;let u=l instanceof $?l.retryAfter:void 0;await Rt(m&&u!==void 0?u*1e3:Ut(n,a),s)}}async resendUserInvite(e,t={}){let{signal:s,sendEmail:n,expiresInDays:i}=t,o={};n!==void 0&&(o.sendEmail=n),i!==void 0&&(o.expiresInDays=i);let a=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/{id}/resend",{params:{path:{id:e}},body:o,headers:{Authorization:a},signal:s??null}))}async cancelUserInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/{id}/cancel",{params:{path:{id:e}},headers:{Authorization:n},signal:s??null}))}async acceptUserInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.POST("/user-invites/accept",{body:e,headers:{Authorization:n},signal:s??null}))}async updateUserInvite(e,t={}){let{signal:s}=t,{id:n,...i}=e,o=await this.#s(void 0,s);return this.#n(s,()=>this.#e.PATCH("/user-invites/{id}",{params:{path:{id:n}},body:i,headers:{Authorization:o},signal:s??null}))}async userInvites(e={},t={}){let{signal:s}=t,n=_t(e),i=await this.#s(void 0,s);return this.#n(s,()=>this.#e.GET("/user-invites",{params:{query:n},headers:{Authorization:i},signal:s??null}))}async*allUserInvites(e={},t={}){let s=e;if(s.offset!==void 0||s.cursor!==void 0)throw new TypeError("allUserInvites follows nextCursor itself: it takes no offset nor cursor");let n;do{let i=await this.userInvites(n===void 0?e:{...e,cursor:n},t);for(let o of i.data)t.signal?.throwIfAborted(),yield o;n=i.nextCursor??void 0}while(n!==void 0)}async userInvite(e,t={}){let{signal:s}=t,n=await this.#s(void 0,s);return this.#n(s,()=>this.#e.GET("/user-invites/{id}",{params:{path:{id:e.id}},headers:{Authorization:n},signal:s??null}))}async checkUserInviteToken(e,t={}){let{signal:s}=t;return s?.throwIfAborted(),this.#n(s,()=>this.#e.POST("/user-invites/check-token",{body:{token:e},signal:s??null}))}async#s(e,t){return t?.throwIfAborted(),`Bearer ${await this.#r({tenantId:e,signal:t})}`}async#n(e,t){e?.throwIfAborted();let s;try{s=await t()}catch(n){if(e?.aborted)throw e.reason;let i=n instanceof Error?n.cause instanceof Error?n.cause.message:n.message:String(n);throw new E(`no usable answer from the User Invites API: ${i}`,{cause:n})}if(!s.response.ok)throw $.fromResponse(s.response,s.error);return s.data}};function Cr(r){let e=r?.userInvites?.tenantId;return typeof e=="string"&&Ur.test(e)?e:void 0}var Ur=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;function Rr(){if(typeof globalThis.crypto?.randomUUID=="function")return globalThis.crypto.randomUUID();let r=globalThis.crypto.getRandomValues(new Uint8Array(16));r[6]=r[6]&15|64,r[8]=r[8]&63|128;let e=Array.from(r,t=>t.toString(16).padStart(2,"0")).join("");return`${e.slice(0,8)}-${e.slice(8,12)}-${e.slice(12,16)}-${e.slice(16,20)}-${e.slice(20)}`}var he=class{#e;#r;#t;#s;#n=new Map;constructor(e){if(this.#r=e.tokenTtlSeconds??300,!Number.isInteger(this.#r)||this.#r<10)throw new TypeError("tokenTtlSeconds must be a whole number of seconds, at least 10");this.#t=e.issuer,this.#s=e.audience,this.#e=typeof e.signer=="function"?e.signer:Pr(e.signer)}async token(e,t){let s=JSON.stringify([e.sub,e.tenantId??null,e.superAdmin??!1,e.roles??null,e.name??null]),n=Date.now(),i=this.#n.get(s);if(i&&i.renewAt>n)return i.token;let o=Math.floor(n/1e3),a={sub:e.sub,iat:o,exp:o+this.#r};e.tenantId!==void 0&&(a.tenantId=e.tenantId),e.superAdmin&&(a.superAdmin=!0),e.roles!==void 0&&(a.roles=[...e.roles]),e.name!==void 0&&(a.name=e.name),this.#t!==void 0&&(a.iss=this.#t),this.#s!==void 0&&(a.aud=this.#s);let l=await this.#e(a,t?{signal:t}:{});return this.#n.set(s,{token:l,renewAt:n+this.#r*1e3/2}),l}};function Pr(r){let e=typeof r=="string"?new TextEncoder().encode(r):r;if(e.byteLength<32)throw new TypeError(`an HS256 secret must be at least 32 bytes; this one has ${e.byteLength}`);let t;return async s=>{t??=Pt().importKey("raw",new Uint8Array(e),{name:"HMAC",hash:"SHA-256"},!1,["sign"]);let n=Be(new TextEncoder().encode(JSON.stringify({alg:"HS256",typ:"JWT"}))),i=Be(new TextEncoder().encode(JSON.stringify(s))),o=`${n}.${i}`,a=await Pt().sign("HMAC",await t,new TextEncoder().encode(o));return`${o}.${Be(new Uint8Array(a))}`}}function Pt(){let r=globalThis.crypto?.subtle;if(!r)throw new Error("Web Crypto (crypto.subtle) is not available: use Node 20+ or a secure browser context");return r}function Be(r){let e="";for(let t of r)e+=String.fromCharCode(t);return btoa(e).replace(/\+/g,"-").replace(/\//g,"_").replace(/=+$/,"")}var Nr="00000000-0000-0000-0000-000000000000";function pe(r){if(typeof r?.baseUrl!="string"||r.baseUrl==="")throw new TypeError("createClient: baseUrl is required");let e=r.signer!==void 0,t=r.token!==void 0;if(e===t)throw new TypeError("createClient: give either signer (server mode) or token (browser mode), not both");let s=Tt({baseUrl:r.baseUrl,...r.fetch?{fetch:r.fetch}:{},querySerializer:{array:{style:"form",explode:!1}}});if(t){let{token:a}=r,l=async({signal:d})=>typeof a=="string"?a:a({signal:d});return new H(s,l,r.retry)}let n=r,i=new he({signer:n.signer,tokenTtlSeconds:n.tokenTtlSeconds,issuer:n.issuer,audience:n.audience}),o=new H(s,()=>Promise.reject(new Error("check-token needs no token")),r.retry);return{asUser(a,l={}){return Nt("asUser",a),new H(s,async({tenantId:d,signal:m})=>{let u=l.roles??(typeof n.userRoles=="function"?await n.userRoles(a):n.userRoles);return i.token({sub:a,tenantId:l.tenantId??d??n.tenantId,roles:u,name:l.name},m)},r.retry)},asSuperAdmin(a={}){let l=a.userId??n.superAdminUserId??Nr;return Nt("asSuperAdmin",l),new H(s,({signal:d})=>i.token({sub:l,tenantId:a.tenantId,superAdmin:!0,name:a.name},d),r.retry)},checkUserInviteToken:(a,l)=>o.checkUserInviteToken(a,l)}}function Nt(r,e){if(typeof e!="string"||e==="")throw new TypeError(`${r}: a user id is required`)}var R=class extends Error{constructor(){super("Sign in first.");this.name="SignInRequired"}};function Mt(r){return(r?.trim()||globalThis.location?.origin||"").replace(/\/+$/,"")}function fe(r,e){return pe({baseUrl:Mt(r),token:async()=>{let t=typeof e=="function"?await e():e;if(!t)throw new R;return t}})}function Dt(r){return pe({baseUrl:Mt(r),token:()=>Promise.reject(new R)})}function P(r){if(r instanceof R)return"You are not signed in: no token was given.";if(r instanceof $){let e=r.problem?.detail,t=r.errors.map(i=>`${i.field}: ${i.message}`).join("; "),s=e?Mr(e):`The server answered ${r.status}.`,n=r.retryAfter!==void 0?` Try again in ${r.retryAfter} s.`:"";return`${s}${t?` (${t})`:""}${n} [${r.code}]`}return r instanceof E?"The server could not be reached. Check your connection and try again.":r instanceof Error&&r.name==="AbortError"?"The request was stopped.":r instanceof Error?r.message:String(r)}function Mr(r){let e=r.trim(),t=e.charAt(0).toUpperCase()+e.slice(1);return/[.!?]$/.test(t)?t:`${t}.`}function Lt(r){return r instanceof Error&&r.name==="AbortError"}var Ot=[U,T`
    section {
      max-width: 34rem;
    }
    h2 {
      font-size: 1.35rem;
      margin: 0 0 0.75rem;
    }
    h2:focus {
      outline: none;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.35rem 1rem;
      margin: 0 0 1rem;
    }
    dt {
      font-weight: 600;
      color: var(--ui-muted);
    }
    dd {
      margin: 0;
      word-break: break-word;
    }
    ul.roles {
      margin: 0;
      padding: 0;
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem;
    }
    ul.roles li {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--ui-subtle);
    }
    button.primary {
      font-size: 1.05rem;
      padding: 0.5em 1.2em;
    }
  `];var me=new Intl.NumberFormat("en-US");function X(r,e=!0){return`${me.format(r)}${e?"":"+"}`}function Ve(r,e,t,s){if(e===0)return r===0?"No invites":`Nothing past ${me.format(r)}`;let n=r+1,i=r+e,o=s?X(t):X(Math.max(t,i),!1);return`${me.format(n)}–${me.format(i)} of ${o}`}function B(r,e){if(!r)return"";let t=new Date(r);if(Number.isNaN(t.getTime()))return r;try{return new Intl.DateTimeFormat(void 0,{dateStyle:"medium",timeStyle:"short",...e?{timeZone:e}:{}}).format(t)}catch{return new Intl.DateTimeFormat(void 0,{dateStyle:"medium",timeStyle:"short"}).format(t)}}function Ht(r,e){return[r,e].filter(t=>typeof t=="string"&&t!=="").join(" ")}function Fe(r){let e=new Set,t=[],s=r.replace(/[^<>,;\n]*<([^<>]*)>/g," $1 ");for(let n of s.split(/[\s,;]+/)){let i=n.trim().replace(/^mailto:/i,"");if(i==="")continue;let o=i.toLowerCase();e.has(o)||(e.add(o),t.push(i))}return t}function jt(r){return(r??"").split(/[\s,]+/).map(e=>e.trim()).filter(e=>e!=="")}function zt(r){switch(r){case"queued":return"Queued";case"sent":return"Sent";case"delivered":return"Delivered";case"failed":return"Failed";case"bounced":return"Bounced";case"complained":return"Marked as spam";case"skipped":return"Not emailed";default:return r}}function ge(r){return r.charAt(0).toUpperCase()+r.slice(1)}var be=class extends v{static{this.properties={baseUrl:{attribute:"base-url"},inviteToken:{attribute:"invite-token"},userToken:{attribute:!1},state:{state:!0},check:{state:!0},message:{state:!0}}}static{this.styles=Ot}#e;#r=!1;constructor(){super(),this.baseUrl="",this.inviteToken="",this.userToken=void 0,this.state="checking",this.check=void 0,this.message=""}get#t(){return this.inviteToken?this.inviteToken:new URL(globalThis.location.href).searchParams.get("token")??""}updated(e){(e.has("baseUrl")||e.has("inviteToken"))&&this.#s(),e.has("state")&&this.#r&&this.state!=="accepting"&&this.state!=="pending"&&(this.#r=!1,this.renderRoot.querySelector("h2")?.focus())}async#s(){let e=this.#t;if(!e){this.state="missing";return}this.#e?.abort();let t=new AbortController;this.#e=t,this.state="checking";try{let s=await Dt(this.baseUrl).checkUserInviteToken(e,{signal:t.signal});this.check=s,this.state=qt(s)}catch(s){if(t.signal.aborted)return;this.state="error",this.message=`The invitation could not be checked. ${P(s)}`}}async#n(){if(this.state==="pending"){this.state="accepting",this.#r=!0,this.message="";try{let e=await fe(this.baseUrl,this.userToken).acceptUserInvite({acceptUserInvite:{token:this.#t}});this.state="done",this.dispatchEvent(new CustomEvent("accepted",{detail:{invite:e},bubbles:!0,composed:!0}))}catch(e){if(this.state="pending",e instanceof R||e instanceof $&&e.status===401){this.message=e instanceof R?"Sign in to accept this invitation.":"Your sign-in has expired or was not accepted. Sign in again to accept.";let t=this.dispatchEvent(new CustomEvent("sign-in-required",{bubbles:!0,composed:!0,cancelable:!0}));await this.updateComplete,t&&this.renderRoot.querySelector("#message")?.focus();return}if(e instanceof $){let t=Dr[e.code];if(t){this.state=t;return}}this.message=`The invitation could not be accepted. ${P(e)}`,await this.updateComplete,this.renderRoot.querySelector("#message")?.focus()}}}render(){return c`<section aria-busy=${this.state==="checking"||this.state==="accepting"?"true":"false"}>
      ${this.#a()}
    </section>`}#a(){let e=this.check,t=e?.createdByName,s=t?`Ask ${t} to send you a new one.`:"Ask the person who invited you to send a new one.";switch(this.state){case"checking":return c`<h2 tabindex="-1">Checking your invitation…</h2>`;case"missing":return c`<h2 tabindex="-1">No invitation in this link</h2>
          <p>Open the link from your invitation email exactly as it was sent.</p>`;case"invalid":return c`<h2 tabindex="-1">This invitation link is not valid</h2>
          <p>
            It may be incomplete, or a newer invitation was sent to you since: use the link in the latest email.
            ${s}
          </p>`;case"expired":return c`<h2 tabindex="-1">This invitation has expired</h2>
          ${this.#o(e)}
          <p>It could be accepted until ${this.#i(e?.expiresAt)}. ${s}</p>`;case"canceled":return c`<h2 tabindex="-1">This invitation was canceled</h2>
          ${this.#o(e)}
          <p>It can no longer be accepted. ${s}</p>`;case"accepted":return c`<h2 tabindex="-1">This invitation has already been accepted</h2>
          ${this.#o(e)}
          <p>There is nothing more to do: sign in to continue.</p>`;case"done":return c`<h2 tabindex="-1">You have joined ${e?.tenantName??"the tenant"}</h2>
          <p class="success">Invitation accepted.</p>`;case"error":return c`<h2 tabindex="-1">Something went wrong</h2>
          <p id="message" class="error" role="alert">${this.message}</p>
          <button type="button" @click=${()=>{this.#s()}}>Try again</button>`;case"pending":case"accepting":return c`<h2 tabindex="-1">
            ${t?`${t} invited you`:"You are invited"} to join ${e?.tenantName??"a tenant"}
          </h2>
          ${this.#o(e)}
          <p>You can accept until ${this.#i(e?.expiresAt)}.</p>
          ${this.message?c`<p id="message" class="error" role="alert" tabindex="-1">${this.message}</p>`:h}
          <button type="button" class="primary" ?disabled=${this.state==="accepting"} @click=${()=>{this.#n()}}>
            ${this.state==="accepting"?"Accepting…":"Accept invitation"}
          </button>`}}#i(e){return e?c`<time datetime=${e}>${B(e)}</time>`:"its expiry"}#o(e){if(!e?.email)return h;let t=e.roles??[];return c`<dl>
      <dt>Invitation for</dt>
      <dd>${e.email}</dd>
      <dt>Invited by</dt>
      <dd>${e.createdByName??c`<span class="muted">not named</span>`}</dd>
      <dt>Tenant</dt>
      <dd>
        ${e.tenantName??h}
        ${e.tenantId?c`<code class=${e.tenantName?"muted":""}>${e.tenantId}</code>`:h}
      </dd>
      <dt>Roles</dt>
      <dd>${t.length?c`<ul class="roles">${t.map(s=>c`<li>${s}</li>`)}</ul>`:c`<span class="muted">none</span>`}</dd>
      <dt>Valid until</dt>
      <dd>${this.#i(e.expiresAt)}</dd>
    </dl>`}};function qt(r){return r.isValid?"pending":r.isExpired?"expired":r.status==="accepted"?"accepted":r.status==="canceled"?"canceled":r.status==="expired"?"expired":"invalid"}var Dr={INVITE_ALREADY_ACCEPTED:"accepted",INVITE_EXPIRED:"expired",INVITE_CANCELED:"canceled",TOKEN_INVALID:"invalid"};var ye=100,Lr=["en-US","en-GB","de-DE","fr-FR","es-ES","it-IT","nl-NL","pt-BR","ja-JP","id-ID"],Or=/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,ve=class extends v{static{this.properties={client:{attribute:!1},tenantId:{attribute:!1},askTenant:{attribute:!1},roleChoices:{attribute:!1},locale:{attribute:!1},outcomes:{state:!0},problem:{state:!0},inputError:{state:!0},tenantError:{state:!0},sending:{state:!0}}}static{this.styles=[U,T`
      form {
        display: grid;
        gap: 0.9rem;
      }
      label,
      legend {
        font-weight: 600;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      textarea {
        min-height: 7rem;
        resize: vertical;
      }
      fieldset {
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
        padding: 0.5rem 0.75rem;
        margin: 0;
      }
      fieldset label {
        font-weight: normal;
        margin-right: 1rem;
        white-space: nowrap;
      }
      .hint {
        color: var(--ui-muted);
        font-size: 0.9em;
      }
      ul.outcomes {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 12rem;
        overflow: auto;
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
      }
      ul.outcomes li {
        padding: 0.3rem 0.6rem;
        border-bottom: 1px solid var(--ui-subtle);
      }
      ul.outcomes .address {
        font-weight: 600;
        word-break: break-all;
      }
    `]}#e=null;constructor(){super(),this.client=void 0,this.tenantId=void 0,this.askTenant=!1,this.roleChoices=[],this.locale="en-US",this.outcomes=[],this.problem="",this.inputError="",this.tenantError="",this.sending=!1}get#r(){return this.renderRoot.querySelector("dialog")}#t(e){return this.renderRoot.querySelector(`#${e}`)}async open(e){this.#e=e,this.outcomes=[],this.problem="",this.inputError="",this.tenantError="",await this.updateComplete,this.#r.showModal(),this.#t("emails").focus()}close(){this.#r.close()}#s=()=>{this.#e?.focus(),this.#e=null};firstUpdated(e){this.#r.addEventListener("close",this.#s)}#n(){return this.roleChoices.length===0?jt(this.#t("roles").value):[...this.renderRoot.querySelectorAll('input[name="role"]:checked')].map(e=>e.value)}async#a(e){if(e.preventDefault(),this.sending||!this.client)return;let t=this.#t("emails"),s=Fe(t.value);this.problem="",this.inputError=s.length===0?"Enter at least one email address.":s.length>ye?`At most ${ye} addresses at a time; this has ${s.length}.`:"";let n=this.askTenant?this.#t("tenant").value.trim():this.tenantId;if(this.tenantError=this.askTenant&&!Or.test(n??"")?"Enter the tenant's id (a UUID).":"",this.inputError){t.focus();return}if(this.tenantError){this.#t("tenant").focus();return}let i=this.#n(),o=this.#t("locale").value.trim()||"en-US";this.sending=!0;let a;try{a=await this.client.sendUserInvites({userInvites:{tenantId:n??"",userInvites:s.map(d=>({email:d,roles:i,locale:o}))}})}catch(d){this.problem=P(d),this.sending=!1,await this.updateComplete,this.#t("problem").focus();return}this.sending=!1;let l=new Map(a.errors.map(d=>[d.index,d.message]));this.outcomes=s.map((d,m)=>{let u=l.get(m);return u===void 0?{email:d,ok:!0,message:"invited"}:{email:d,ok:!1,message:u}}),t.value=this.outcomes.filter(d=>!d.ok).map(d=>d.email).join(`
`),this.dispatchEvent(new CustomEvent("user-invites-sent",{detail:a,bubbles:!0,composed:!0})),await this.updateComplete,this.#t("summary").focus()}render(){let e=this.outcomes.filter(n=>n.ok).length,t=this.outcomes.length-e,s=["emails-hint",this.inputError?"emails-error":"",this.outcomes.length?"summary":""].filter(Boolean).join(" ");return c`
      <dialog aria-labelledby="send-title">
        <h2 id="send-title">Invite people</h2>
        <form novalidate @submit=${this.#a}>
          ${this.askTenant?c`<div class="field">
                <label for="tenant">Tenant id</label>
                <input
                  id="tenant"
                  autocomplete="off"
                  spellcheck="false"
                  .value=${this.tenantId??""}
                  aria-invalid=${this.tenantError?"true":"false"}
                  aria-describedby=${this.tenantError?"tenant-error":h}
                />
                ${this.tenantError?c`<span id="tenant-error" class="error">${this.tenantError}</span>`:h}
              </div>`:h}
          <div class="field">
            <label for="emails">Email addresses</label>
            <textarea
              id="emails"
              spellcheck="false"
              autocomplete="off"
              aria-describedby=${s}
              aria-invalid=${this.inputError||t>0?"true":"false"}
            ></textarea>
            <span id="emails-hint" class="hint">Paste up to ${ye}, separated by commas, spaces or new lines.</span>
            ${this.inputError?c`<span id="emails-error" class="error">${this.inputError}</span>`:h}
          </div>
          ${this.roleChoices.length>0?c`<fieldset>
                <legend>Roles</legend>
                ${this.roleChoices.map(n=>c`<label><input type="checkbox" name="role" value=${n} /> ${n}</label>`)}
              </fieldset>`:c`<div class="field">
                <label for="roles">Roles</label>
                <input id="roles" autocomplete="off" aria-describedby="roles-hint" />
                <span id="roles-hint" class="hint">Role keys, separated by commas.</span>
              </div>`}
          <div class="field">
            <label for="locale">Language of the email</label>
            <input id="locale" list="locales" autocomplete="off" .value=${this.locale} />
            <datalist id="locales">${Lr.map(n=>c`<option value=${n}></option>`)}</datalist>
          </div>
          ${this.problem?c`<p id="problem" class="error" role="alert" tabindex="-1">${this.problem}</p>`:h}
          ${this.outcomes.length>0?c`<div>
                <p id="summary" role="status" tabindex="-1">
                  ${e} invited${t>0?c`, <span class="error">${t} not invited</span>: see below, correct and send again`:h}.
                </p>
                <ul class="outcomes" aria-label="Outcome for each address">
                  ${this.outcomes.map(n=>c`<li>
                      <span class="address">${n.email}</span> —
                      <span class=${n.ok?"success":"error"}>${n.ok?"invited":n.message}</span>
                    </li>`)}
                </ul>
              </div>`:h}
          <div class="actions">
            <button type="button" @click=${()=>this.close()}>Close</button>
            <button type="submit" class="primary" ?disabled=${this.sending} aria-busy=${this.sending?"true":"false"}>
              ${this.sending?"Sending…":"Send invitations"}
            </button>
          </div>
        </form>
      </dialog>
    `}};var Bt=[U,T`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: flex-end;
      margin-bottom: 0.75rem;
    }
    .search {
      display: grid;
      gap: 0.2rem;
      flex: 1 1 16rem;
    }
    .search label {
      font-weight: 600;
    }
    [role="tablist"] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      border-bottom: 1px solid var(--ui-border);
    }
    [role="tab"] {
      border: 1px solid transparent;
      border-bottom: none;
      border-radius: var(--ui-radius) var(--ui-radius) 0 0;
      background: transparent;
      margin-bottom: -1px;
    }
    [role="tab"][aria-selected="true"] {
      border-color: var(--ui-border);
      background: var(--ui-surface);
      font-weight: 600;
      border-bottom: 2px solid var(--ui-accent);
    }
    .count {
      display: inline-block;
      min-width: 1.5em;
      padding: 0 0.4em;
      border-radius: 999px;
      background: var(--ui-subtle);
      font-variant-numeric: tabular-nums;
    }
    .notice:empty,
    .error:empty {
      display: none;
    }
    .notice {
      color: var(--ui-success);
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      margin-top: 0.5rem;
    }
    th,
    td {
      text-align: left;
      vertical-align: top;
      padding: 0.45rem 0.5rem;
      border-bottom: 1px solid var(--ui-subtle);
    }
    thead th {
      font-weight: 600;
      color: var(--ui-muted);
      white-space: nowrap;
      border-bottom: 1px solid var(--ui-border);
    }
    button.sort {
      border: none;
      background: none;
      padding: 0;
      font-weight: 600;
      color: inherit;
    }
    .arrow {
      margin-left: 0.25em;
      font-size: 0.8em;
    }
    th.who {
      font-weight: normal;
    }
    .email {
      display: block;
      font-weight: 600;
      word-break: break-all;
    }
    .name,
    .reason {
      display: block;
      color: var(--ui-muted);
      font-size: 0.9em;
    }
    .tenant code {
      display: block;
      font-size: 0.85em;
      color: var(--ui-muted);
    }
    .row-actions {
      white-space: nowrap;
    }
    .row-actions button + button {
      margin-left: 0.35rem;
    }
    .empty {
      text-align: center;
      color: var(--ui-muted);
      padding: 1.5rem;
    }
    .pager {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: flex-end;
      margin-top: 0.6rem;
    }
    .range {
      margin-right: auto;
      font-variant-numeric: tabular-nums;
    }
  `];var Hr={createdAt:"CREATED_AT",updatedAt:"UPDATED_AT",email:"EMAIL",status:"STATUS"};function Vt(r,e){return{limit:r.pageSize,...e!==void 0?{cursor:e}:{},...Kt(r,r.tab),order:{sort:Hr[r.sort],order:r.order==="asc"?"ASC":"DESC"}}}function Ft(r,e){return{limit:1,...Kt(r,e)}}function Kt(r,e){let t={};e!=="all"&&(t.status={equalTo:e}),r.tenantId&&(t.tenantId={equalTo:r.tenantId});let s=r.search.trim();return{filter:t,...s!==""?{search:s}:{}}}function Wt(r,e){return r.sort===e?{sort:e,order:r.order==="asc"?"desc":"asc"}:{sort:e,order:e==="email"||e==="status"?"asc":"desc"}}var A=["all","pending","accepted","canceled","expired"],Qt=100;var Ke=new Set(["failed","bounced","complained"]);function $e(r){return r==="pending"||r==="expired"}function Yt(r,e){if(r.length===0){let t=e.superAdmin?9:8;return c`<tr>
      <td colspan=${t} class="empty">${e.loading?"Loading…":"No invites to show."}</td>
    </tr>`}return r.map(t=>jr(t,e))}function jr(r,e){let t=Ht(r.firstName,r.lastName),s=$e(r.status),n=e.busy.has(r.id),i=Ke.has(r.emailStatus)&&s,o=s?"":` (not possible: the invitation is ${r.status})`;return c`<tr data-invite-id=${r.id}>
    <th scope="row" class="who">
      <span class="email">${r.email}</span>
      ${t?c`<span class="name">${t}</span>`:h}
    </th>
    ${e.superAdmin?c`<td class="tenant">
          ${r.tenantName?c`<span>${r.tenantName}</span>`:h}
          <code title=${r.tenantId}>${r.tenantId.slice(0,8)}</code>
        </td>`:h}
    <td>${r.roles.length?r.roles.join(", "):c`<span class="muted">none</span>`}</td>
    <td><span class="badge ${r.status}">${ge(r.status)}</span></td>
    <td>
      <span class="badge ${Ke.has(r.emailStatus)?"problem":""}">${zt(r.emailStatus)}</span>
      ${r.emailStatusReason?c`<span class="reason">${r.emailStatusReason}</span>`:h}
      ${i?c`<span class="reason">Resend to try again.</span>`:h}
    </td>
    <td>${B(r.createdAt)}</td>
    <td>${B(r.updatedAt)}</td>
    <td>${r.status==="pending"||r.status==="expired"?B(r.expiresAt):c`<span class="muted">—</span>`}</td>
    <td class="row-actions">
      <button
        type="button"
        class=${i?"primary":""}
        aria-label=${`Resend invitation to ${r.email}${o}`}
        ?disabled=${!s||n}
        @click=${a=>e.act(r,"resend",a.currentTarget)}
      >
        Resend
      </button>
      <button
        type="button"
        class="danger"
        aria-label=${`Cancel invitation to ${r.email}${o}`}
        ?disabled=${!s||n}
        @click=${a=>e.act(r,"cancel",a.currentTarget)}
      >
        Cancel
      </button>
    </td>
  </tr>`}function Z(r,e,t,s){let n=t.sort===e,i=n?t.order==="asc"?"ascending":"descending":"none";return c`<th scope="col" aria-sort=${i}>
    <button type="button" class="sort" @click=${()=>s(e)}>
      ${r}<span aria-hidden="true" class="arrow">${n?t.order==="asc"?"▲":"▼":"↕"}</span>
    </button>
  </th>`}var Jt=300,we=class extends v{static{this.properties={baseUrl:{attribute:"base-url"},token:{attribute:!1},tenantId:{attribute:"tenant-id"},superAdmin:{attribute:"super-admin",type:Boolean},pageSize:{attribute:"page-size",type:Number},roles:{converter:{fromAttribute:e=>(e??"").split(/[\s,]+/).filter(Boolean)}},locale:{},tab:{state:!0},sort:{state:!0},order:{state:!0},search:{state:!0},rows:{state:!0},counts:{state:!0},total:{state:!0},exact:{state:!0},cursors:{state:!0},nextCursor:{state:!0},loading:{state:!0},error:{state:!0},actionError:{state:!0},notice:{state:!0},busy:{state:!0}}}static{this.styles=Bt}#e;#r;#t;#s;constructor(){super(),this.baseUrl="",this.token=void 0,this.tenantId="",this.superAdmin=!1,this.pageSize=20,this.roles=[],this.locale="en-US",this.tab="all",this.sort="createdAt",this.order="desc",this.search="",this.rows=[],this.counts={},this.total=0,this.exact=!0,this.cursors=[void 0],this.nextCursor=null,this.loading=!1,this.error="",this.actionError="",this.notice="",this.busy=new Set}refresh(){return this.token?Promise.all([this.#i(),this.#o()]).then(()=>{}):(this.rows=[],this.counts={},this.nextCursor=null,this.error="Sign in to see invites: the table has no token.",Promise.resolve())}get#n(){let e=Number.isInteger(this.pageSize)&&this.pageSize>=1&&this.pageSize<=100?this.pageSize:20;return{tab:this.tab,search:this.search,sort:this.sort,order:this.order,pageSize:e,tenantId:this.tenantId||void 0}}get#a(){return this.cursors.length-1}willUpdate(e){(e.has("baseUrl")||e.has("token"))&&(this.#e=fe(this.baseUrl,this.token))}updated(e){["baseUrl","token","tenantId","superAdmin","pageSize"].some(s=>e.has(s))&&(this.cursors=[void 0],this.refresh())}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#s),this.#r?.abort(),this.#t?.abort()}async#i(){if(!this.#e)return;this.#r?.abort();let e=new AbortController;this.#r=e,this.loading=!0;try{let t=await this.#e.userInvites(Vt(this.#n,this.cursors.at(-1)),{signal:e.signal});this.rows=t.data,this.total=t.totalCount,this.exact=t.totalCountExact??!0,this.nextCursor=t.nextCursor??null,this.error=""}catch(t){if(Lt(t)||e.signal.aborted)return;this.rows=[],this.nextCursor=null,this.error=`Could not list invites. ${P(t)}`}finally{this.#r===e&&(this.loading=!1)}}async#o(){if(!this.#e)return;this.#t?.abort();let e=new AbortController;this.#t=e;let t=this.#n,s=this.#e,n=await Promise.allSettled(A.map(o=>s.userInvites(Ft(t,o),{signal:e.signal})));if(e.signal.aborted)return;let i={};n.forEach((o,a)=>{o.status==="fulfilled"&&(i[A[a]]={n:o.value.totalCount,exact:o.value.totalCountExact??!0})}),this.counts=i}#c(e,t=!1){e!==this.tab&&(this.tab=e,this.cursors=[void 0],this.#i()),t&&this.updateComplete.then(()=>this.renderRoot.querySelector(`#tab-${e}`)?.focus())}#u(e){let t=A.indexOf(this.tab),s=e.key==="ArrowRight"?(t+1)%A.length:e.key==="ArrowLeft"?(t-1+A.length)%A.length:e.key==="Home"?0:e.key==="End"?A.length-1:-1;s<0||(e.preventDefault(),this.#c(A[s],!0))}#h(e){let t=e.target.value;clearTimeout(this.#s),this.#s=setTimeout(()=>{t.trim()!==this.search.trim()&&(this.search=t,this.cursors=[void 0],this.refresh())},Jt)}#l(e){Object.assign(this,Wt(this,e)),this.cursors=[void 0],this.#i()}#p(){this.nextCursor&&(this.cursors=[...this.cursors,this.nextCursor],this.#i())}#f(){this.cursors.length<=1||(this.cursors=this.cursors.slice(0,-1),this.#i())}async#m(e){await this.renderRoot.querySelector("user-invites-send-dialog").open(e.currentTarget)}#g(e){e.stopPropagation(),this.dispatchEvent(new CustomEvent("user-invites-sent",{detail:e.detail,bubbles:!0,composed:!0})),this.cursors=[void 0],this.refresh()}async#b(e,t,s){if(!(!this.#e||!$e(e.status))&&!(t==="cancel"&&!await this.renderRoot.querySelector("user-invites-confirm-dialog").ask({title:"Cancel this invitation?",message:`The invitation to ${e.email} will be canceled and its link will stop working. You can invite them again later.`,confirm:"Cancel invitation",dismiss:"Keep invitation"},s))){this.busy=new Set([...this.busy,e.id]),this.actionError="",this.notice="";try{let n=t==="resend"?await this.#e.resendUserInvite(e.id):await this.#e.cancelUserInvite(e.id);this.notice=t==="resend"?`Invitation to ${e.email} sent again.`:`Invitation to ${e.email} canceled.`,this.dispatchEvent(new CustomEvent(t==="resend"?"user-invite-resent":"user-invite-canceled",{detail:n,bubbles:!0,composed:!0}))}catch(n){this.actionError=`Could not ${t} the invitation to ${e.email}. ${P(n)}`}finally{let n=new Set(this.busy);n.delete(e.id),this.busy=n}await this.refresh()}}#d(e){return e==="all"?"All":ge(e)}render(){let e=this.#n,t=this.#a*e.pageSize,s=this.superAdmin&&!this.tenantId;return c`
      <div class="toolbar">
        <div class="search">
          <label for="search">Search</label>
          <input
            id="search"
            type="search"
            maxlength=${Qt}
            autocomplete="off"
            spellcheck="false"
            placeholder="Name or email"
            aria-describedby="search-hint"
            @input=${this.#h}
          />
          <span id="search-hint" class="visually-hidden">Finds invites whose email or name has a word starting with what you type.</span>
        </div>
        <button type="button" class="primary" @click=${this.#m}>Invite people</button>
        <button type="button" @click=${()=>{this.refresh()}}>Refresh</button>
      </div>
      <div role="tablist" aria-label="Invites by status" @keydown=${this.#u}>
        ${A.map(n=>{let i=this.counts[n],o=n===this.tab;return c`<button
            id=${`tab-${n}`}
            role="tab"
            type="button"
            aria-selected=${o?"true":"false"}
            aria-controls="panel"
            tabindex=${o?0:-1}
            @click=${()=>this.#c(n)}
          >
            ${this.#d(n)} <span class="count">${i?X(i.n,i.exact):"…"}</span>
          </button>`})}
      </div>
      <div id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>
        <p class="notice" role="status">${this.notice}</p>
        <div class="error" role="alert">${[this.actionError,this.error].filter(Boolean).join(" ")}</div>
        <div class="scroll">
          <table aria-busy=${this.loading?"true":"false"}>
            <caption class="visually-hidden">
              ${this.#d(this.tab)} invites${this.search.trim()?`, matching “${this.search.trim()}”`:""}
            </caption>
            <thead>
              <tr>
                ${Z("Email","email",this,n=>this.#l(n))}
                ${this.superAdmin?c`<th scope="col">Tenant</th>`:h}
                <th scope="col">Roles</th>
                ${Z("Status","status",this,n=>this.#l(n))}
                <th scope="col">Email status</th>
                ${Z("Created","createdAt",this,n=>this.#l(n))}
                ${Z("Updated","updatedAt",this,n=>this.#l(n))}
                <th scope="col">Expires</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${Yt(this.rows,{superAdmin:this.superAdmin,busy:this.busy,loading:this.loading,act:(n,i,o)=>{this.#b(n,i,o)}})}
            </tbody>
          </table>
        </div>
        <div class="pager">
          <span class="range" aria-live="polite">${this.loading&&this.rows.length===0?"Loading…":Ve(t,this.rows.length,this.total,this.exact)}</span>
          <button type="button" ?disabled=${this.cursors.length<=1} @click=${this.#f}>Previous</button>
          <button type="button" ?disabled=${!this.nextCursor} @click=${this.#p}>Next</button>
        </div>
      </div>
      <user-invites-send-dialog
        .client=${this.#e}
        .tenantId=${this.tenantId||void 0}
        .askTenant=${s}
        .roleChoices=${this.roles}
        .locale=${this.locale||"en-US"}
        @user-invites-sent=${this.#g}
      ></user-invites-send-dialog>
      <user-invites-confirm-dialog></user-invites-confirm-dialog>
    `}};var zr=[["user-invites-table",we],["user-invite-accept",be],["user-invites-send-dialog",ve],["user-invites-confirm-dialog",de]];for(let[r,e]of zr)customElements.get(r)||customElements.define(r,e);async function Ee(r){let e=await fetch("/dev/token",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({as:r})});if(e.status===404)return null;if(!e.ok)throw new Error(`POST /dev/token answered ${e.status}`);return await e.json()}var We="user-invites:user-token",Qe={get(){return localStorage.getItem(We)},set(r){localStorage.setItem(We,r)},clear(){localStorage.removeItem(We)}};function Ye(r){let e=r.trim().split(".")[1];if(!e)return null;try{let t=e.replace(/-/g,"+").replace(/_/g,"/").padEnd(Math.ceil(e.length/4)*4,"="),s=Uint8Array.from(atob(t),i=>i.charCodeAt(0)),n=JSON.parse(new TextDecoder().decode(s));return typeof n=="object"&&n!==null?n:null}catch{return null}}function S(r,e){r&&(r.textContent=e)}function x(r){let e=document.getElementById(r);if(!e)throw new Error(`the page has no #${r}`);return e}var Ae=document.querySelector("user-invites-table"),ee=x("token"),Gt=x("who"),Se=x("dev-note"),Je=x("user-note");function Ge(){let r=ee.value.trim(),e=r?Ye(r):null;if(r&&!e){S(Gt,"That does not look like a JWT."),ee.setAttribute("aria-invalid","true");return}ee.removeAttribute("aria-invalid"),Ae.superAdmin=e?.superAdmin===!0,Ae.tenantId=e?.tenantId??"",Ae.roles=e?.roles??[],Ae.token=r||void 0,S(Gt,e?e.superAdmin?`Super admin ${e.sub??"?"}${e.tenantId?` in tenant ${e.tenantId}`:", every tenant"}`:`User ${e.sub??"?"}${e.name?` (${e.name})`:""} in tenant ${e.tenantId??"(none)"}`:"No token: paste one to see invites.")}async function Zt(r){let e=await Ee(r);if(!e){S(Se,"This server does not use the development secret, so it mints no tokens: paste a token signed with its key.");return}ee.value=e.token,Ge()}x("apply").addEventListener("click",Ge);x("as-admin").addEventListener("click",()=>{Zt("admin")});x("as-super-admin").addEventListener("click",()=>{Zt("super-admin")});x("sign-in-new-user").addEventListener("click",async()=>{let r=await Ee("new-user");if(!r){S(Je,"This server does not use the development secret: there is no development sign-in.");return}Qe.set(r.token),S(Je,`Signed in as a new user, ${r.sub}. Open an invitation link in this browser to accept it as this user.`)});Ee("admin").then(r=>{r?(ee.value=r.token,S(Se,`Pre-filled with a development admin token (tenant ${r.tenantId??"?"}), because this server uses the development secret.`)):(x("dev-buttons").hidden=!0,S(Se,"Paste a token signed with this server's key.")),Ge()},r=>S(Se,`Could not reach the server: ${String(r)}`));var Xt=Qe.get();Xt&&S(Je,`Signed in as user ${Ye(Xt)?.sub??"?"} in this browser.`);
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
